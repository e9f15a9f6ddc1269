package io.github.ssestarter.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.ssestarter.benchmarks.jmh.MicroBenchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Runs each benchmark in its short smoke mode so the harness cannot rot. It checks that the
 * harness works (every event arrives), never a speed: figures come from full runs.
 */
class BenchmarkSmokeTest {

	@Test
	void redisCrossNode() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", 6379), 500);
		}
		catch (IOException ex) {
			String message = "Redis is not running on 127.0.0.1:6379; start it with: redis-server --daemonize yes";
			if (System.getenv("SSE_REQUIRE_REDIS") != null) {
				throw new AssertionError(message);
			}
			Assumptions.abort(message);
		}
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
