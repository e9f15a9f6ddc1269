package io.github.ssestarter.redis;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseService;
import io.github.ssestarter.backplane.SseBackplaneException;
import io.github.ssestarter.support.LocalRedis;
import io.github.ssestarter.test.SseReceivedEvent;
import io.github.ssestarter.test.SseTestClient;
import io.github.ssestarter.testapp.plain.SseTestApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis backplane behind Redis Sentinel (processes of the test's own: a master, a
 * replica, a sentinel), configured the Spring Boot way: when the master dies and the
 * sentinel promotes the replica, the node follows it, its stream is told to reset once
 * (a new generation: the replica may have lagged), and events flow again.
 */
class RedisSentinelIntegrationTest {

	private LocalRedis.Server master;

	private LocalRedis.Server replica;

	private LocalRedis.Server sentinel;

	private ConfigurableApplicationContext node;

	@BeforeEach
	void start() throws Exception {
		LocalRedis.requireServers();
		this.master = new LocalRedis.Server().start();
		this.replica = new LocalRedis.Server().startReplicaOf(this.master);
		this.sentinel = new LocalRedis.Server().startSentinel(this.master);
		this.node = new SpringApplicationBuilder(SseTestApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "sse.backplane.type=redis",
					"spring.data.redis.sentinel.master=mymaster",
					"spring.data.redis.sentinel.nodes=127.0.0.1:" + this.sentinel.port(),
					"spring.data.redis.timeout=2s", "sse.backplane.redis.poll-timeout=200ms")
			.run();
	}

	@AfterEach
	void stop() throws Exception {
		if (this.node != null) {
			this.node.close();
		}
		this.sentinel.close();
		this.replica.close();
		this.master.close();
	}

	@Test
	void aFailoverIsFollowedWithOneResetAndEventsFlowAgain() throws Exception {
		SseService sse = this.node.getBean(SseService.class);
		String url = "http://localhost:" + ((WebServerApplicationContext) this.node).getWebServer().getPort()
				+ "/api/v1/sse?topics=sentinel";
		try (SseTestClient client = SseTestClient.connect(url)) {
			client.awaitEvent("sse.connected");
			String before = sse.publish("sentinel", SseEvent.ofData("before"));
			assertThat(client.awaitEvent()).isEqualTo(new SseReceivedEvent(before, "message", "before", null));

			this.master.kill();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> this.sentinel.cli("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster")
					.contains(Integer.toString(this.replica.port())));
			String after = await().atMost(Duration.ofSeconds(30))
				.ignoreException(SseBackplaneException.class)
				.until(() -> sse.publish("sentinel", SseEvent.ofData("after")), (id) -> id != null);

			assertThat(after).doesNotStartWith(before.substring(0, before.lastIndexOf('-') + 1));
			SseReceivedEvent reset = client.awaitEvent();
			assertThat(reset.name()).isEqualTo("sse.reset");
			assertThat(reset.data()).contains("\"reason\":\"unknown\"");
			assertThat(client.awaitEvent()).isEqualTo(new SseReceivedEvent(after, "message", "after", null));
		}
	}

}
