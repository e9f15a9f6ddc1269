package io.github.ssestarter.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseService;
import io.github.ssestarter.support.LocalRedis;
import io.github.ssestarter.test.SseReceivedEvent;
import io.github.ssestarter.test.SseTestClient;
import io.github.ssestarter.testapp.plain.SseTestApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis backplane on a Redis Cluster of three masters (processes of the test's own),
 * configured the Spring Boot way ({@code spring.data.redis.cluster.nodes}): two nodes
 * exchange events, and a client resuming with {@code Last-Event-ID} on the other node gets
 * exactly what it missed.
 */
class RedisClusterIntegrationTest {

	private final List<LocalRedis.Server> cluster = new ArrayList<>();

	private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

	@BeforeEach
	void startCluster() throws Exception {
		LocalRedis.requireServers();
		for (int i = 0; i < 3; i++) {
			this.cluster.add(new LocalRedis.Server().startClusterNode());
		}
		LocalRedis.Server.createCluster(this.cluster);
	}

	@AfterEach
	void stop() throws Exception {
		for (ConfigurableApplicationContext node : this.nodes) {
			node.close();
		}
		for (LocalRedis.Server server : this.cluster) {
			server.close();
		}
	}

	@Test
	void nodesShareEventsAndReplaysThroughACluster() throws Exception {
		ConfigurableApplicationContext a = node();
		ConfigurableApplicationContext b = node();
		try (SseTestClient onB = SseTestClient.connect(url(b))) {
			String joined = onB.awaitEvent("sse.connected").id();
			String first = a.getBean(SseService.class).publish("cluster", SseEvent.ofData("one"));
			String second = b.getBean(SseService.class).publish("cluster", SseEvent.ofData("two"));
			assertThat(onB.awaitEvents(2)).containsExactly(new SseReceivedEvent(first, "message", "one", null),
					new SseReceivedEvent(second, "message", "two", null));
			try (SseTestClient resumed = SseTestClient.connect(url(a), Map.of("Last-Event-ID", joined))) {
				assertThat(resumed.awaitEvent().name()).isEqualTo("sse.connected");
				assertThat(resumed.awaitEvents(2)).containsExactly(new SseReceivedEvent(first, "message", "one", null),
						new SseReceivedEvent(second, "message", "two", null));
			}
			// presence's scripts too run on the one shard that holds the deployment's hash tag
			await().atMost(Duration.ofSeconds(5))
				.until(() -> a.getBean(SseService.class).presence("cluster").streams() == 2);
		}
	}

	private ConfigurableApplicationContext node() {
		StringBuilder addresses = new StringBuilder();
		for (LocalRedis.Server server : this.cluster) {
			addresses.append((addresses.length() > 0) ? "," : "").append("127.0.0.1:").append(server.port());
		}
		ConfigurableApplicationContext node = new SpringApplicationBuilder(SseTestApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "sse.backplane.type=redis",
					"spring.data.redis.cluster.nodes=" + addresses, "spring.data.redis.timeout=5s",
					"sse.backplane.redis.poll-timeout=200ms")
			.run();
		this.nodes.add(node);
		return node;
	}

	private static String url(ConfigurableApplicationContext node) {
		return "http://localhost:" + ((WebServerApplicationContext) node).getWebServer().getPort()
				+ "/api/v1/sse?topics=cluster";
	}

}
