package io.github.ssestarter.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.ssestarter.benchmarks.jmh.MicroBenchmarks;
import io.github.ssestarter.support.LocalRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Runs each benchmark in its short smoke mode so the harness cannot rot. It checks that the
 * harness works (every event arrives), never a speed: figures come from full runs.
 */
class BenchmarkSmokeTest {

	@Test
	void redisCrossNode() {
		LocalRedis.assumeRunning();
		assertThatNoException().isThrownBy(() -> RedisCrossNodeBenchmark.run(true));
	}

	@Test
	void microBenchmarks(@TempDir Path output) throws Exception {
		MicroBenchmarks.run(true, output);
		assertThat(Files.readString(output.resolve("jmh.md"))).contains("EncodeBenchmark.starterText",
				"EncodeBenchmark.starterJson", "PublishBenchmark.starterPublish", "RegistryBenchmark.topicSubscribers",
				"RegistryBenchmark.clientLookup");
	}

}
