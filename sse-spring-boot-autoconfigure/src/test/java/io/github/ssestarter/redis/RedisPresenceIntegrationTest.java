package io.github.ssestarter.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.github.ssestarter.SsePresence;
import io.github.ssestarter.SseService;
import io.github.ssestarter.presence.NodePresence;
import io.github.ssestarter.support.LocalRedis;
import io.github.ssestarter.test.SseReceivedEvent;
import io.github.ssestarter.test.SseTestClient;
import io.github.ssestarter.testapp.secured.SecuredTestApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Presence over two application nodes sharing a Redis process of the test's own: counts,
 * users and online status span both nodes; joins and leaves are announced once for the
 * cluster and a stream that moves to the other node within the leave delay is neither; a
 * node that stops reporting drops out after its time to live; presence comes back after
 * Redis loses it.
 */
class RedisPresenceIntegrationTest {

	private static final Duration NODE_TIMEOUT = Duration.ofSeconds(3);

	private static final String PREFIX = "presence-test";

	private static LocalRedis.Server redis;

	private static ConfigurableApplicationContext nodeA;

	private static ConfigurableApplicationContext nodeB;

	@BeforeAll
	static void startNodes() throws Exception {
		LocalRedis.requireServers();
		redis = new LocalRedis.Server().start();
		nodeA = start("node-a");
		nodeB = start("node-b");
	}

	private static ConfigurableApplicationContext start(String name) {
		return new SpringApplicationBuilder(SecuredTestApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "sse.backplane.type=redis",
					"spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port(),
					"spring.data.redis.timeout=2s", "sse.security.allowed-topics=chat:*,news.*",
					"sse.backplane.redis.key-prefix=" + PREFIX, "sse.heartbeat.interval=1s",
					"sse.node-name=" + name, "sse.presence.leave-delay=1s",
					"sse.presence.node-timeout=" + NODE_TIMEOUT.toSeconds() + "s", "sse.presence.notify-topics=chat:*")
			.run();
	}

	@AfterAll
	static void stopNodes() throws Exception {
		for (ConfigurableApplicationContext node : new ConfigurableApplicationContext[] { nodeA, nodeB }) {
			if (node != null) {
				node.close();
			}
		}
		if (redis != null) {
			redis.close();
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

	private static SseTestClient stream(ConfigurableApplicationContext node, String user, String topic) {
		SseTestClient client = SseTestClient.connect(url(node, "/api/v1/sse?topics=" + topic), basic(user));
		client.awaitEvent("sse.connected");
		return client;
	}

	@Test
	void presenceAndOnlineStatusSpanBothNodes() {
		try (SseTestClient alice = stream(nodeA, "alice", "news.both");
				SseTestClient bob = stream(nodeB, "bob", "news.both")) {
			for (ConfigurableApplicationContext node : List.of(nodeA, nodeB)) {
				await().atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(sse(node).presence("news.both"))
						.isEqualTo(new SsePresence("news.both", 2, java.util.Set.of("alice", "bob"), true)));
			}
			assertThat(sse(nodeB).isUserOnline("alice")).as("alice is on the other node").isTrue();
			assertThat(sse(nodeA).isUserOnline("bob")).isTrue();
			assertThat(sse(nodeA).isUserOnline("carol")).isFalse();
		}
	}

	@Test
	void joinsAndLeavesAreAnnouncedOnceForTheClusterAndMovingNodesIsNeither() throws Exception {
		try (SseTestClient watcher = stream(nodeA, "carol", "chat:room")) {
			watcher.awaitEvent((event) -> event.data().contains("\"carol\""), "carol's own join",
					SseTestClient.DEFAULT_TIMEOUT);
			SseTestClient alice = stream(nodeB, "alice", "chat:room");
			watcher.awaitEvent((event) -> event.data().contains("\"alice\""), "alice's join",
					SseTestClient.DEFAULT_TIMEOUT);
			alice.close(); // and comes back on the other node within the leave delay
			try (SseTestClient aliceAgain = stream(nodeA, "alice", "chat:room")) {
				Thread.sleep(3500); // past the close of her first stream (noticed within a heartbeat) and its leave delay
				assertThat(presenceNotices(watcher)).containsExactly("carol joined", "alice joined");
			}
			watcher.awaitEvent((event) -> event.data().contains("\"left\""), "alice's leave",
					SseTestClient.DEFAULT_TIMEOUT);
			assertThat(watcher.poll(Duration.ofMillis(1500))).as("announced once, not by each node").isNull();
			assertThat(presenceNotices(watcher)).containsExactly("carol joined", "alice joined", "alice left");
		}
	}

	private static List<String> presenceNotices(SseTestClient client) {
		return client.received()
			.stream()
			.filter((event) -> "sse.presence".equals(event.name()))
			.map(SseReceivedEvent::data)
			.map((data) -> data.replaceAll(".*\"userId\":\"([^\"]+)\",\"state\":\"([a-z]+)\".*", "$1 $2"))
			.toList();
	}

	@Test
	void aNodeThatStopsReportingDropsOutAfterItsTimeToLive() throws Exception {
		LettuceConnectionFactory factory = LocalRedis.connectionFactory(redis.port());
		try {
			RedisPresenceStore ghost = new RedisPresenceStore(factory, PREFIX, "ghost", Duration.ofSeconds(2));
			NodePresence ghostsStreams = new NodePresence();
			ghostsStreams.changeTopic("news.ghost", "gus", +1);
			ghostsStreams.changeUser("gus", +1);
			ghost.replace(ghostsStreams); // then it dies: no heartbeat ever again
			assertThat(sse(nodeA).presence("news.ghost").users()).containsExactly("gus");
			assertThat(sse(nodeB).isUserOnline("gus")).isTrue();
			await().atMost(Duration.ofSeconds(5)).until(() -> !sse(nodeA).presence("news.ghost").isOccupied());
			assertThat(sse(nodeB).isUserOnline("gus")).isFalse();
		}
		finally {
			factory.destroy();
		}
	}

	@Test
	void theLeavesOfUsersOnANodeThatDiedAreAnnouncedOnce() throws Exception {
		LettuceConnectionFactory factory = LocalRedis.connectionFactory(redis.port());
		try (SseTestClient watcher = stream(nodeA, "carol", "chat:ghost")) {
			RedisPresenceStore ghost = new RedisPresenceStore(factory, PREFIX, "ghost", Duration.ofSeconds(2));
			NodePresence ghostsStreams = new NodePresence();
			ghostsStreams.changeTopic("chat:ghost", "gus", +1);
			ghostsStreams.changeUser("gus", +1);
			ghost.replace(ghostsStreams); // then it dies
			watcher.awaitEvent((event) -> event.data().contains("\"gus\""), "gus's leave",
					SseTestClient.DEFAULT_TIMEOUT);
			assertThat(watcher.poll(Duration.ofMillis(1500))).as("announced once").isNull();
			assertThat(presenceNotices(watcher)).containsExactly("carol joined", "gus left");
		}
		finally {
			factory.destroy();
		}
	}

	@Test
	void aNodeThatShutsDownLeavesItsUsersPresentForTheLeaveDelayThenAnnouncesTheirLeaves() throws Exception {
		ConfigurableApplicationContext nodeC = start("node-c");
		try (SseTestClient watcher = stream(nodeA, "carol", "chat:shutdown")) {
			SseTestClient bob = stream(nodeC, "bob", "chat:shutdown");
			watcher.awaitEvent((event) -> event.data().contains("\"bob\""), "bob's join", SseTestClient.DEFAULT_TIMEOUT);
			nodeC.close(); // bob's stream ends; he does not come back
			bob.close();
			assertThat(sse(nodeA).presence("chat:shutdown").users()).as("within the leave delay").contains("bob");
			watcher.awaitEvent((event) -> event.data().contains("\"left\""), "bob's leave",
					SseTestClient.DEFAULT_TIMEOUT);
			assertThat(presenceNotices(watcher)).containsExactly("carol joined", "bob joined", "bob left");
			assertThat(sse(nodeA).presence("chat:shutdown").users()).containsExactly("carol");
		}
		finally {
			nodeC.close();
		}
	}

	@Test
	void presenceComesBackAfterRedisLosesIt() throws Exception {
		try (SseTestClient bob = stream(nodeB, "bob", "news.flush")) {
			await().atMost(Duration.ofSeconds(5)).until(() -> sse(nodeA).presence("news.flush").isOccupied());
			redis.flushAll(); // every node's presence is gone until each writes it again
			await().atMost(NODE_TIMEOUT.plusSeconds(2))
				.until(() -> sse(nodeA).presence("news.flush").users().contains("bob"));
			assertThat(sse(nodeA).isUserOnline("bob")).isTrue();
		}
	}

}
