package io.github.ssestarter.benchmarks.jmh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import io.github.ssestarter.benchmarks.load.LoadHarness;

/**
 * Runs the hot-path microbenchmarks ({@link EncodeBenchmark}, {@link PublishBenchmark},
 * {@link RegistryBenchmark}, {@link StreamLifecycleBenchmark}) and writes {@code jmh.md}: each score with its ratio to the
 * baseline of its class measured in the same run (same parameters).
 */
public final class MicroBenchmarks {

	/** Benchmark class → the method every other method of the class is compared with. */
	private static final Map<String, String> BASELINES = Map.of("EncodeBenchmark", "baselineStringConcatenation",
			"PublishBenchmark", "baselineBoundedQueues", "RegistryBenchmark", "baselineConcurrentHashMapGet",
			"StreamLifecycleBenchmark", "baselineNoListeners");

	private MicroBenchmarks() {
	}

	/**
	 * Run them all; the smoke mode runs each once, briefly, only to prove they work.
	 * @param smoke whether to run the short version
	 * @param output where {@code jmh.md} goes
	 * @throws Exception if JMH fails
	 */
	public static void run(boolean smoke, Path output) throws Exception {
		ChainedOptionsBuilder options = new OptionsBuilder().include(MicroBenchmarks.class.getPackageName() + ".*")
			.forks(1);
		if (smoke) {
			options.warmupIterations(1)
				.warmupTime(TimeValue.milliseconds(100))
				.measurementIterations(1)
				.measurementTime(TimeValue.milliseconds(100))
				.param("connections", "1000");
		}
		Collection<RunResult> results = new Runner(options.build()).run();
		String report = report(results, smoke);
		System.out.println(report);
		Files.createDirectories(output);
		Files.writeString(output.resolve("jmh.md"), report);
	}

	static String report(Collection<RunResult> results, boolean smoke) {
		Map<String, Double> baselines = new LinkedHashMap<>();
		for (RunResult result : results) {
			String[] name = split(result);
			if (name[1].equals(BASELINES.get(name[0]))) {
				baselines.put(name[0] + params(result), result.getPrimaryResult().getScore());
			}
		}
		StringBuilder out = new StringBuilder("# Hot-path microbenchmarks (JMH)\n\n");
		out.append("Measured on ").append(LoadHarness.machine()).append(".");
		out.append(smoke ? " **Smoke run: one short iteration, figures meaningless.**" : "").append("\n\n");
		out.append("Average time per operation, lower is better; the ratio is to the baseline of the same class and "
				+ "parameters, measured in the same run.\n\n");
		out.append("| benchmark | parameters | score | error (99.9 %) | unit | × baseline |\n|---|---|---|---|---|---|\n");
		for (RunResult result : results) {
			String[] name = split(result);
			double score = result.getPrimaryResult().getScore();
			Double baseline = baselines.get(name[0] + params(result));
			out.append(String.format(Locale.ROOT, "| %s.%s | %s | %.3f | %.3f | %s | %s |\n", name[0], name[1],
					params(result).isEmpty() ? "" : params(result), score, result.getPrimaryResult().getScoreError(),
					result.getPrimaryResult().getScoreUnit(),
					(baseline != null) ? String.format(Locale.ROOT, "%.2f", score / baseline) : "n/a"));
		}
		return out.toString();
	}

	private static String[] split(RunResult result) {
		String benchmark = result.getParams().getBenchmark();
		String[] parts = benchmark.split("\\.");
		return new String[] { parts[parts.length - 2], parts[parts.length - 1] };
	}

	private static String params(RunResult result) {
		StringBuilder out = new StringBuilder();
		for (String key : result.getParams().getParamsKeys()) {
			out.append(out.isEmpty() ? "" : ", ").append(key).append('=').append(result.getParams().getParam(key));
		}
		return out.toString();
	}

}
