package io.github.ssestarter.redis;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseService;
import io.github.ssestarter.backplane.SseBackplane;
import io.github.ssestarter.backplane.SseBackplaneException;
import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.health.SseHealthIndicator;
import io.github.ssestarter.support.LocalRedis;
import io.github.ssestarter.test.SseReceivedEvent;
import io.github.ssestarter.test.SseTestClient;
import io.github.ssestarter.testapp.plain.SseTestApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Redis stopped and started again under a running node (a private {@code redis-server} of
 * the test's own): publishing fails fast and is counted, health goes DOWN, open streams
 * stay open, and everything flows again once Redis is back.
 */
class RedisOutageIntegrationTest {

	private LocalRedis.Server redis;

	private ConfigurableApplicationContext node;

	@BeforeEach
	void start() throws Exception {
		LocalRedis.assumeRunning();
		Assumptions.assumeTrue(LocalRedis.canStartServers(), "redis-server cannot be started here");
		this.redis = new LocalRedis.Server().start();
		this.node = new SpringApplicationBuilder(SseTestApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "sse.backplane.type=redis",
					"spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + this.redis.port(),
					"spring.data.redis.timeout=1s", "sse.backplane.redis.poll-timeout=200ms")
			.run();
	}

	@AfterEach
	void stop() throws Exception {
		if (this.node != null) {
			this.node.close();
		}
		if (this.redis != null) {
			this.redis.close();
		}
	}

	@Test
	void aRedisRestartIsReportedSurvivedAndRecoveredFrom() throws Exception {
		SseService sse = this.node.getBean(SseService.class);
		SseBackplane backplane = this.node.getBean(SseBackplane.class);
		SseHealthIndicator health = this.node.getBean(SseHealthIndicator.class);
		String url = "http://localhost:" + ((WebServerApplicationContext) this.node).getWebServer().getPort()
				+ "/api/v1/sse?topics=outage";
		try (SseTestClient client = SseTestClient.connect(url)) {
			client.awaitEvent("sse.connected");
			String before = sse.publish("outage", SseEvent.ofData("before"));
			assertThat(client.awaitEvent()).isEqualTo(new SseReceivedEvent(before, "message", "before", null));

			this.redis.stop();
			await().atMost(Duration.ofSeconds(10)).until(() -> !backplane.isAvailable());
			assertThat(health.health(true).getStatus()).isEqualTo(Status.DOWN);
			long start = System.nanoTime();
			assertThatExceptionOfType(SseBackplaneException.class)
				.isThrownBy(() -> sse.publish("outage", SseEvent.ofData("lost")))
				.withMessageContaining("Redis is unavailable");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).as("fails fast").isLessThan(Duration.ofSeconds(5));
			assertThat(backplane.errorCount()).isPositive();
			assertThat(this.node.getBean(SseEngine.class).registry().connectionCount()).as("streams stay open")
				.isEqualTo(1);
			assertThat(client.hasEnded()).isFalse();

			this.redis.start(); // same port, empty: Redis kept nothing
			await().atMost(Duration.ofSeconds(20)).until(backplane::isAvailable);
			assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
			String after = await().atMost(Duration.ofSeconds(10))
				.ignoreException(SseBackplaneException.class)
				.until(() -> sse.publish("outage", SseEvent.ofData("after")), (id) -> id != null);
			// A restarted Redis is a new generation: the open stream is told so before the next event
			SseReceivedEvent restarted = client.awaitEvent();
			assertThat(restarted.name()).isEqualTo("sse.reset");
			assertThat(restarted.data()).contains("\"reason\":\"unknown\"");
			assertThat(client.awaitEvent()).isEqualTo(new SseReceivedEvent(after, "message", "after", null));

			// Redis lost the history: an id from before cannot be replayed, the client is told to reset
			try (SseTestClient resumed = SseTestClient.connect(url, Map.of("Last-Event-ID", before))) {
				resumed.awaitEvent("sse.connected");
				SseReceivedEvent reset = resumed.awaitEvent();
				assertThat(reset.name()).isEqualTo("sse.reset");
				assertThat(reset.data()).contains("\"reason\":\"unknown\"");
			}
		}
	}

}
