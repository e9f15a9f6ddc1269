package io.github.ssestarter.presence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SsePresence;
import io.github.ssestarter.engine.CloseReason;
import io.github.ssestarter.engine.SseConnection;
import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.engine.SseSubscription;
import io.github.ssestarter.support.RecordingTransport;
import io.github.ssestarter.support.TestEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Presence on one node: counts and users per topic, the leave delay that keeps a
 * reconnecting stream from looking like a leave and a join, the announcements of joins
 * and leaves, and counts that return to zero however opens and closes race.
 */
class SsePresenceTrackerTest {

	private static final Duration LEAVE_DELAY = Duration.ofMillis(300);

	private final NodePresence node = new NodePresence();

	private final List<String> announced = new CopyOnWriteArrayList<>();

	private SsePresenceTracker tracker;

	private SseEngine engine;

	private final ExecutorService threads = Executors.newCachedThreadPool();

	private void start(int maxUsers) {
		this.tracker = new SsePresenceTracker(new LocalPresenceStore(this.node), this.node,
				new SsePresenceTracker.Settings(LEAVE_DELAY, maxUsers, new String[] { "chat:*" }, Duration.ofSeconds(1)));
		this.tracker.announceThrough((topic, event) -> this.announced.add(topic + " " + describe(event)));
		TestEngines engines = new TestEngines();
		engines.maxConnectionsPerUser = 5000;
		engines.streamListener = this.tracker;
		this.engine = engines.build();
	}

	private static String describe(SseEvent event) {
		Map<?, ?> data = (Map<?, ?>) event.data();
		return event.name() + " " + data.get("userId") + " " + data.get("state");
	}

	@AfterEach
	void stop() throws InterruptedException {
		this.threads.shutdownNow();
		this.threads.awaitTermination(5, TimeUnit.SECONDS);
		if (this.engine != null) {
			this.engine.shutdown(Duration.ofSeconds(1));
			this.engine.close();
		}
		if (this.tracker != null) {
			this.tracker.close();
		}
	}

	private SseConnection open(String user, String... topics) {
		return this.engine.open(new SseSubscription(user, null, Set.of(topics), null), new RecordingTransport());
	}

	private SsePresence presence(String topic) {
		return this.tracker.presence(topic);
	}

	@Test
	void countsStreamsAndUsersPerTopicAndKeepsALeaverForTheDelay() {
		start(100);
		SseConnection aliceTab1 = open("alice", "chat:1", "news");
		open("alice", "chat:1");
		open("bob", "chat:1");
		open(null, "chat:1");
		await().atMost(Duration.ofSeconds(5)).until(() -> presence("chat:1").streams() == 4);
		assertThat(presence("chat:1").users()).containsExactlyInAnyOrder("alice", "bob");
		assertThat(presence("chat:1").allUsers()).isTrue();
		assertThat(presence("news")).isEqualTo(new SsePresence("news", 1, Set.of("alice"), true));
		assertThat(presence("user:alice").streams()).isEqualTo(2);
		assertThat(presence("nobody").isOccupied()).isFalse();
		assertThat(this.tracker.isUserOnline("bob")).isTrue();
		assertThat(this.tracker.isUserOnline("carol")).isFalse();

		long closedAt = System.nanoTime();
		aliceTab1.close(CloseReason.CLIENT);
		await().atMost(Duration.ofSeconds(5)).until(() -> presence("chat:1").streams() == 3);
		assertThat(System.nanoTime() - closedAt).as("a closed stream counts for the leave delay")
			.isGreaterThanOrEqualTo(LEAVE_DELAY.toNanos());
		assertThat(presence("chat:1").users()).containsExactlyInAnyOrder("alice", "bob");
		assertThat(presence("news").isOccupied()).isFalse();
	}

	@Test
	void listsAtMostMaxUsers() {
		start(3);
		for (int i = 0; i < 5; i++) {
			open("user" + i, "chat:big");
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> presence("chat:big").streams() == 5);
		assertThat(presence("chat:big").users()).hasSize(3);
		assertThat(presence("chat:big").allUsers()).isFalse();
	}

	@Test
	void joinsAndLeavesAreAnnouncedOnceAndAQuickReconnectIsNeither() throws Exception {
		start(100);
		SseConnection first = open("alice", "chat:1", "news");
		SseConnection second = open("alice", "chat:1");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.announced.size() == 1);
		assertThat(this.announced).containsExactly("chat:1 sse.presence alice joined"); // not news: not announced

		first.close(CloseReason.CLIENT);
		second.close(CloseReason.CLIENT);
		SseConnection reconnected = open("alice", "chat:1"); // within the leave delay
		Thread.sleep(LEAVE_DELAY.toMillis() * 3);
		assertThat(this.announced).as("a reconnect within the delay").hasSize(1);

		reconnected.close(CloseReason.CLIENT);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.announced.size() == 2);
		assertThat(this.announced).containsExactly("chat:1 sse.presence alice joined", "chat:1 sse.presence alice left");
		assertThat(presence("chat:1").isOccupied()).isFalse();
		assertThat(this.tracker.isUserOnline("alice")).isFalse();
	}

	@Test
	void whatHappensWhileTheContextIsStoppedIsCountedWhenItStartsAgain() {
		start(100);
		SseConnection stream = open("alice", "chat:paused");
		await().atMost(Duration.ofSeconds(5)).until(() -> presence("chat:paused").isOccupied());
		this.tracker.stop();
		assertThat(this.tracker.isRunning()).isFalse();
		stream.close(CloseReason.SHUTDOWN);
		open("bob", "chat:paused");
		this.tracker.start();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(presence("chat:paused").users()).containsExactly("bob"));
	}

	@Test
	void countsReturnToZeroWhateverTheOrderOfOpensAndCloses() throws Exception {
		start(100);
		AtomicBoolean opening = new AtomicBoolean(true);
		Future<?> closer = this.threads.submit(() -> {
			while (opening.get() || this.engine.registry().connectionCount() > 0) {
				for (SseConnection connection : List.copyOf(this.engine.registry().connections())) {
					connection.close(CloseReason.EVICTED);
				}
			}
		});
		List<Future<?>> openers = new ArrayList<>();
		for (int t = 0; t < 4; t++) {
			String user = "user" + t;
			openers.add(this.threads.submit(() -> {
				for (int i = 0; i < 300; i++) {
					open(user, "chat:race", "news");
				}
			}));
		}
		for (Future<?> opener : openers) {
			opener.get(30, TimeUnit.SECONDS);
		}
		opening.set(false);
		closer.get(30, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(10)).until(() -> !presence("chat:race").isOccupied()
				&& !presence("news").isOccupied() && this.node.userStreams().isEmpty());
		assertThat(this.node.topicUsers()).isEmpty();
		// each user's joins and leaves alternate, starting with a join and ending with a leave
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			for (int t = 0; t < 4; t++) {
				String user = "user" + t;
				List<String> states = this.announced.stream()
					.filter((line) -> line.contains(" " + user + " "))
					.map((line) -> line.substring(line.lastIndexOf(' ') + 1))
					.toList();
				assertThat(states).as(user).isNotEmpty().endsWith("left");
				for (int i = 0; i < states.size(); i++) {
					assertThat(states.get(i)).as(user + " " + i).isEqualTo((i % 2 == 0) ? "joined" : "left");
				}
			}
		});
	}

}
