package io.github.ssestarter.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.github.ssestarter.benchmarks.jmh.MicroBenchmarks;
import io.github.ssestarter.benchmarks.load.LoadHarness;

/**
 * Entry point: {@code java -jar benchmarks/target/sse-benchmarks.jar <benchmark> [options]},
 * run from the repository root (results go to {@code benchmarks/results/}).
 * <ul>
 * <li>{@code load [--smoke] [--out <dir>] [--scenarios <list>] [variant ...]}: the load harness, every server
 * variant in its own JVM (see {@link LoadHarness}); {@code load --rewrite [--out <dir>]} writes the report
 * again from the saved {@code load.json};</li>
 * <li>{@code redis-cross-node [--smoke]}: delivery through the Redis backplane against one
 * node with the local backplane;</li>
 * <li>{@code jmh [--smoke] [--out <dir>]}: the hot-path microbenchmarks (see {@link MicroBenchmarks}).</li>
 * </ul>
 */
public final class Benchmarks {

	private static final String USAGE = """
			Usage: java -jar benchmarks/target/sse-benchmarks.jar <benchmark> [options]
			  load [--smoke] [--out <dir>] [--scenarios fan-out,latency,slow-clients,slow-readers,idle] [variant ...]
			       variants: nio starter starter-jetty handrolled webflux eventbus (default: all)
			  load --rewrite [--out <dir>]   (the report again from load.json, no measuring)
			  redis-cross-node [--smoke]
			  jmh [--smoke] [--out <dir>]""";

	private Benchmarks() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length == 0) {
			System.err.println(USAGE);
			System.exit(2);
		}
		List<String> options = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
		boolean smoke = options.remove("--smoke");
		Path output = Path.of("benchmarks/results");
		int out = options.indexOf("--out");
		if (out >= 0) {
			output = Path.of(options.get(out + 1));
			options.subList(out, out + 2).clear();
		}
		switch (args[0]) {
			case "load" -> {
				if (options.remove("--rewrite")) {
					LoadHarness.rewrite(output);
					System.exit(0);
				}
				Set<String> scenarios = new LinkedHashSet<>(LoadHarness.SCENARIOS);
				int chosen = options.indexOf("--scenarios");
				if (chosen >= 0) {
					scenarios = new LinkedHashSet<>(Arrays.asList(options.get(chosen + 1).split(",")));
					options.subList(chosen, chosen + 2).clear();
				}
				try {
					LoadHarness.run(smoke, options, scenarios, output);
				}
				catch (IllegalArgumentException ex) {
					System.err.println(ex.getMessage() + "\n" + USAGE);
					System.exit(2);
				}
			}
			case "redis-cross-node" -> RedisCrossNodeBenchmark.run(smoke);
			case "jmh" -> MicroBenchmarks.run(smoke, output);
			default -> {
				System.err.println(USAGE);
				System.exit(2);
			}
		}
		System.exit(0);
	}

}
