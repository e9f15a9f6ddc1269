package io.github.ssestarter.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseService;
import io.github.ssestarter.backplane.SseBackplane;
import io.github.ssestarter.support.LocalRedis;
import io.github.ssestarter.test.SseReceivedEvent;
import io.github.ssestarter.test.SseTestClient;
import io.github.ssestarter.testapp.secured.SecuredTestApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two application nodes on different ports sharing one Redis: an event published on either
 * reaches every subscriber on both, once; a client that moves from one node to the other
 * resumes with {@code Last-Event-ID} and misses nothing.
 */
class RedisTwoNodesIntegrationTest {

	private static final String PREFIX = "two-nodes-" + UUID.randomUUID();

	private static ConfigurableApplicationContext nodeA;

	private static ConfigurableApplicationContext nodeB;

	@BeforeAll
	static void startNodes() {
		LocalRedis.assumeRunning();
		nodeA = start();
		nodeB = start();
	}

	private static ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(SecuredTestApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "sse.backplane.type=redis",
					"sse.backplane.redis.key-prefix=" + PREFIX, "spring.data.redis.host=127.0.0.1",
					"spring.data.redis.port=" + LocalRedis.PORT, "spring.data.redis.timeout=2s",
					"sse.security.allowed-topics=news.*", "sse.limits.max-connections-per-user=20")
			.run();
	}

	@AfterAll
	static void stopNodes() {
		for (ConfigurableApplicationContext node : new ConfigurableApplicationContext[] { nodeA, nodeB }) {
			if (node != null) {
				try (var connection = node.getBean(RedisConnectionFactory.class).getConnection()) {
					connection.keyCommands().del(RedisStreamKeys.of(PREFIX).stream(), RedisStreamKeys.of(PREFIX).generation());
				}
				node.close();
			}
		}
	}

	private static String url(ConfigurableApplicationContext node, String path) {
		return "http://localhost:" + ((WebServerApplicationContext) node).getWebServer().getPort() + path;
	}

	private static Map<String, String> basic(String user) {
		return Map.of("Authorization", "Basic "
				+ Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8)));
	}

	private static SseService sse(ConfigurableApplicationContext node) {
		return node.getBean(SseService.class);
	}

	@Test
	void anEventPublishedOnOneNodeReachesSubscribersOnBothOnce() throws Exception {
		try (SseTestClient onA = SseTestClient.connect(url(nodeA, "/api/v1/sse?topics=news.both"), basic("alice"));
				SseTestClient onB = SseTestClient.connect(url(nodeB, "/api/v1/sse?topics=news.both"), basic("bob"))) {
			onA.awaitEvent("sse.connected");
			onB.awaitEvent("sse.connected");
			String fromA = sse(nodeA).publish("news.both", SseEvent.of("news", "from A"));
			String fromB = sse(nodeB).publish("news.both", SseEvent.of("news", "from B"));
			for (SseTestClient client : List.of(onA, onB)) {
				assertThat(client.awaitEvents(2)).containsExactly(new SseReceivedEvent(fromA, "news", "from A", null),
						new SseReceivedEvent(fromB, "news", "from B", null));
				assertThat(client.poll(Duration.ofMillis(300))).as("no echo, no duplicate").isNull();
			}
		}
	}

	@Test
	void aUsersEventsFollowThemToWhicheverNodeTheyAreOn() throws Exception {
		try (SseTestClient aliceOnB = SseTestClient.connect(url(nodeB, "/api/v1/sse"), basic("alice"));
				SseTestClient bobOnB = SseTestClient.connect(url(nodeB, "/api/v1/sse"), basic("bob"))) {
			aliceOnB.awaitEvent("sse.connected");
			bobOnB.awaitEvent("sse.connected");
			String forAlice = sse(nodeA).sendToUser("alice", SseEvent.of("private", "for alice"));
			String forBob = sse(nodeA).sendToUser("bob", SseEvent.of("private", "for bob"));
			assertThat(aliceOnB.awaitEvent()).isEqualTo(new SseReceivedEvent(forAlice, "private", "for alice", null));
			assertThat(bobOnB.awaitEvent()).isEqualTo(new SseReceivedEvent(forBob, "private", "for bob", null));
			assertThat(sse(nodeB).isUserOnline("alice")).isTrue();
		}
	}

	@Test
	void aClientMovingFromOneNodeToTheOtherGetsExactlyWhatItMissed() throws Exception {
		List<String> published = new ArrayList<>();
		String lastSeen;
		try (SseTestClient onA = SseTestClient.connect(url(nodeA, "/api/v1/sse?topics=news.move"), basic("alice"))) {
			onA.awaitEvent("sse.connected");
			for (int i = 0; i < 5; i++) {
				published.add(sse((i % 2 == 0) ? nodeA : nodeB).publish("news.move", SseEvent.ofData("e" + i)));
			}
			List<SseReceivedEvent> seen = onA.awaitEvents(5);
			assertThat(seen).extracting(SseReceivedEvent::id).containsExactlyElementsOf(published);
			lastSeen = seen.get(4).id();
		}
		// while the client is away, both nodes publish
		List<String> missed = new ArrayList<>();
		for (int i = 5; i < 25; i++) {
			missed.add(sse((i % 2 == 0) ? nodeA : nodeB).publish("news.move", SseEvent.ofData("e" + i)));
			sse(nodeA).publish("news.elsewhere", SseEvent.ofData("not for this client"));
		}
		try (SseTestClient onB = SseTestClient.connect(url(nodeB, "/api/v1/sse?topics=news.move"),
				Map.of("Authorization", basic("alice").get("Authorization"), "Last-Event-ID", lastSeen))) {
			assertThat(onB.awaitEvent("sse.connected").id()).isEqualTo(lastSeen);
			assertThat(onB.awaitEvents(20)).extracting(SseReceivedEvent::id).containsExactlyElementsOf(missed);
			String live = sse(nodeA).publish("news.move", SseEvent.ofData("live"));
			assertThat(onB.awaitEvent()).isEqualTo(new SseReceivedEvent(live, "message", "live", null));
		}
	}

	@Test
	void bothNodesReportTheRedisBackplaneUp() {
		for (ConfigurableApplicationContext node : List.of(nodeA, nodeB)) {
			SseBackplane backplane = node.getBean(SseBackplane.class);
			assertThat(backplane).isInstanceOf(RedisStreamSseBackplane.class);
			assertThat(backplane.isAvailable()).isTrue();
		}
	}

}
