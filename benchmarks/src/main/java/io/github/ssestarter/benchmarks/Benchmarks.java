package io.github.ssestarter.benchmarks;

import java.util.Arrays;

/**
 * Entry point: {@code java -jar benchmarks/target/sse-benchmarks.jar <benchmark> [--smoke]}.
 * <ul>
 * <li>{@code redis-cross-node}: delivery rate and latency through the Redis backplane
 * (publish on one node, clients on another) against one node with the local backplane,
 * measured in the same run.</li>
 * </ul>
 */
public final class Benchmarks {

	private Benchmarks() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length == 0 || !args[0].equals("redis-cross-node")) {
			System.err.println("Usage: java -jar sse-benchmarks.jar redis-cross-node [--smoke]");
			System.exit(2);
		}
		boolean smoke = Arrays.asList(args).contains("--smoke");
		RedisCrossNodeBenchmark.run(smoke);
		System.exit(0);
	}

}
