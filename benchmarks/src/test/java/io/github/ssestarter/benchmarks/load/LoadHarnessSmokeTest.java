package io.github.ssestarter.benchmarks.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.ssestarter.benchmarks.load.LoadResults.Run;
import io.github.ssestarter.benchmarks.load.LoadResults.VariantResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load harness in its smoke mode, with tiny sizes, so that it cannot rot: each
 * variant's JVM starts, serves, counts its streams and answers, the load client parses what
 * arrives, and the report, JSON and chart are written. The ceiling and the starter on both
 * containers run every scenario; the other variants, whose servers those scenarios drive
 * no differently, the two that publish (the rest of the scenarios' cost is JVM starts and
 * settling, minutes of the build). It checks that the harness works, never a speed.
 */
class LoadHarnessSmokeTest {

	private static final List<String> EVERY_SCENARIO = List.of(LoadHarness.CEILING, LoadHarness.STARTER,
			"starter-jetty");

	@Test
	void theCeilingAndTheStarterRunEveryScenario(@TempDir Path output) throws Exception {
		Run run = LoadHarness.run(true, EVERY_SCENARIO, new HashSet<>(LoadHarness.SCENARIOS), output);
		assertThat(run.variants()).extracting(VariantResult::variant).containsExactlyElementsOf(EVERY_SCENARIO);
		for (VariantResult result : run.variants()) {
			assertThat(result.notes()).as(result.variant()).noneMatch((note) -> note.startsWith("stopped early"));
			assertThat(result.fanOut().delivered()).as(result.variant()).isPositive();
			assertThat(result.slowClients().rateRatio()).as(result.variant()).isNotNull();
			assertThat(result.idle().opened()).as(result.variant()).isEqualTo(result.idle().requested());
			LoadResults.Latency latency = result.latency();
			assertThat(latency.delivered()).as(result.variant() + ": every event reached every client")
				.isEqualTo(latency.expected());
		}
		for (String starter : List.of(LoadHarness.STARTER, "starter-jetty")) {
			LoadResults.SlowReaders slowReaders = LoadReport.find(run, starter).slowReaders();
			assertThat(slowReaders.slowEvents()).as(starter + ": the slow readers read").isPositive();
			assertThat(slowReaders.lostSilently()).as(starter + ": nothing lost without notice").isZero();
			assertThat(slowReaders.outOfOrder()).as(starter + ": nothing twice or out of order").isZero();
			assertThat(slowReaders.catchUps()).as(starter + ": counted").isNotNull();
		}
		assertThat(Files.readString(output.resolve("load.md"))).contains("| starter |");
		assertThat(Files.readString(output.resolve("load.json"))).contains("\"ratios\"");
		assertThat(Files.size(output.resolve("load.png"))).isPositive();
		String report = Files.readString(output.resolve("load.md"));
		LoadHarness.rewrite(output);
		assertThat(Files.readString(output.resolve("load.md"))).as("the report written again from load.json")
			.isEqualTo(report);
	}

	@Test
	void everyOtherVariantServesAndPublishes(@TempDir Path output) throws Exception {
		List<String> others = LoadHarness.VARIANTS.keySet()
			.stream()
			.filter((variant) -> !EVERY_SCENARIO.contains(variant))
			.toList();
		Run run = LoadHarness.run(true, others, Set.of("fan-out", "latency"), output);
		assertThat(run.variants()).extracting(VariantResult::variant).containsExactlyElementsOf(others);
		for (VariantResult result : run.variants()) {
			assertThat(result.notes()).as(result.variant()).noneMatch((note) -> note.startsWith("stopped early"));
			assertThat(result.fanOut().delivered()).as(result.variant()).isPositive();
			assertThat(result.latency().p99Millis()).as(result.variant()).isNotNull();
		}
		assertThat(Files.readString(output.resolve("load.md"))).contains("| handrolled |");
	}

}
