package io.github.ssestarter.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.github.ssestarter.encode.EncodedEvent;
import io.github.ssestarter.store.HistoryPage;
import io.github.ssestarter.store.OutgoingEvent;
import io.github.ssestarter.store.SseEventStore;
import io.github.ssestarter.store.StoredEvent;
import io.github.ssestarter.support.DeliveryCheck;
import io.github.ssestarter.support.LocalRedis;

import static io.github.ssestarter.support.HistoryReads.ids;
import static io.github.ssestarter.support.HistoryReads.readAll;
import static org.assertj.core.api.Assertions.assertThat;

/** The Redis Stream store against a real Redis server. */
class RedisStreamSseEventStoreTest {

	private LettuceConnectionFactory connectionFactory;

	private RedisStreamKeys keys;

	@BeforeEach
	void connect() {
		LocalRedis.assumeRunning();
		this.connectionFactory = LocalRedis.connectionFactory(LocalRedis.PORT);
		this.keys = RedisStreamKeys.of("test-" + UUID.randomUUID());
	}

	@AfterEach
	void cleanUp() {
		if (this.connectionFactory != null) {
			deleteKeys();
			this.connectionFactory.destroy();
		}
	}

	private RedisStreamSseEventStore store(long maxLength, Duration maxAge, Clock clock) {
		return new RedisStreamSseEventStore(this.connectionFactory, this.keys, maxLength, maxAge, clock);
	}

	private static StoredEvent append(RedisStreamSseEventStore store, String data, String... topics) {
		byte[] body = ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
		return store.append(new OutgoingEvent(Set.of(topics), topics.length == 0, new EncodedEvent(body)));
	}


	@Test
	void idsCarryTheGenerationAndAreTheSameForEveryNode() {
		RedisStreamSseEventStore nodeA = store(1000, Duration.ofMinutes(5), Clock.systemUTC());
		RedisStreamSseEventStore nodeB = store(1000, Duration.ofMinutes(5), Clock.systemUTC());
		String start = nodeA.latestId();
		assertThat(start).matches("[0-9a-z]+-0");
		StoredEvent first = append(nodeA, "one", "a");
		StoredEvent second = append(nodeB, "two", "a");
		String generation = start.substring(0, start.indexOf('-'));
		assertThat(first.id()).isEqualTo(generation + "-1");
		assertThat(second.id()).isEqualTo(generation + "-2");
		assertThat(first.frame().toString()).isEqualTo("id: " + first.id() + "\ndata: one\n\n");
		assertThat(nodeB.latestId()).isEqualTo(second.id());
		assertThat(ids(readAll(nodeB, start, second.id(), (event) -> true))).containsExactly(first.id(), second.id());
	}

	@Test
	void replaysExactlyTheMatchingEventsUpToTheLimit() {
		RedisStreamSseEventStore store = store(1000, Duration.ofMinutes(5), Clock.systemUTC());
		String start = store.latestId();
		StoredEvent a1 = append(store, "1", "a");
		append(store, "2", "b");
		StoredEvent both = append(store, "3", "a", "b");
		StoredEvent everyone = append(store, "4");
		StoredEvent a5 = append(store, "5", "a");
		HistoryPage result = readAll(store, start, everyone.id(), (event) -> event.isFor(Set.of("a")));
		assertThat(result.reset()).isNull();
		assertThat(ids(result)).containsExactly(a1.id(), both.id(), everyone.id());
		assertThat(result.events().get(1).topics()).containsExactlyInAnyOrder("a", "b");
		assertThat(result.events().get(2).broadcast()).isTrue();
		assertThat(ids(readAll(store, both.id(), a5.id(), (event) -> true))).containsExactly(everyone.id(), a5.id());
		assertThat(ids(readAll(store, a5.id(), a5.id(), (event) -> true))).isEmpty();
	}

	@Test
	void foreignFutureAndMalformedIdsAreUnknown() {
		RedisStreamSseEventStore store = store(1000, Duration.ofMinutes(5), Clock.systemUTC());
		StoredEvent event = append(store, "x", "a");
		String generation = event.id().substring(0, event.id().indexOf('-'));
		for (String id : List.of("abc-1", generation + "-99", "k3x9a2bf-12", "garbage", generation + "-1-x",
				generation + "-")) {
			assertThat(readAll(store, id, event.id(), (e) -> true).reset()).as(id).isEqualTo(HistoryPage.Reset.UNKNOWN);
		}
	}

	@Test
	void idsOfTrimmedEventsAreExpired() {
		RedisStreamSseEventStore store = store(10, Duration.ofMinutes(5), Clock.systemUTC());
		String start = store.latestId();
		List<StoredEvent> events = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			events.add(append(store, Integer.toString(i), "a"));
		}
		String last = events.get(999).id();
		assertThat(readAll(store, start, last, (e) -> true).reset()).isEqualTo(HistoryPage.Reset.EXPIRED);
		assertThat(readAll(store, events.get(0).id(), last, (e) -> true).reset()).isEqualTo(HistoryPage.Reset.EXPIRED);
		assertThat(ids(readAll(store, events.get(995).id(), last, (e) -> true))).containsExactlyElementsOf(
				events.subList(996, 1000).stream().map(StoredEvent::id).toList());
	}

	@Test
	void eventsOlderThanTheMaximumAgeAreTrimmed() throws InterruptedException {
		RedisStreamSseEventStore store = store(1000, Duration.ofSeconds(1), Clock.systemUTC());
		String start = store.latestId();
		StoredEvent old = append(store, "old", "a");
		Thread.sleep(1100);
		StoredEvent recent = append(store, "recent", "a");
		store.evictExpired();
		assertThat(readAll(store, start, recent.id(), (e) -> true).reset()).isEqualTo(HistoryPage.Reset.EXPIRED);
		assertThat(ids(readAll(store, old.id(), recent.id(), (e) -> true))).containsExactly(recent.id());
	}

	@Test
	void aNodeWhoseClockRunsAheadDoesNotTrimYoungEvents() {
		Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
		RedisStreamSseEventStore store = store(1000, Duration.ofMinutes(5), ahead);
		String start = store.latestId();
		StoredEvent young = append(store, "young", "a");
		store.evictExpired();
		assertThat(ids(readAll(store, start, young.id(), (e) -> true))).containsExactly(young.id());
	}

	@Test
	void concurrentPublishesGetDenseIdsOncePerEventInBatches() throws Exception {
		RedisStreamSseEventStore store = store(100_000, Duration.ofMinutes(5), Clock.systemUTC());
		String start = store.latestId();
		int threads = 8;
		int each = 250;
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
		List<java.util.concurrent.Future<List<StoredEvent>>> results = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int thread = t;
			results.add(pool.submit(() -> {
				List<StoredEvent> mine = new ArrayList<>();
				for (int i = 0; i < each; i++) {
					mine.add(append(store, thread + ":" + i, "t" + thread));
				}
				return mine;
			}));
		}
		List<String> ids = new ArrayList<>();
		for (var result : results) {
			List<StoredEvent> mine = result.get();
			for (int i = 1; i < mine.size(); i++) {
				assertThat(DeliveryCheck.sequence(mine.get(i).id())).as("one thread's events keep their order")
					.isGreaterThan(DeliveryCheck.sequence(mine.get(i - 1).id()));
			}
			mine.forEach((event) -> ids.add(event.id()));
		}
		pool.shutdown();
		long first = DeliveryCheck.sequence(start) + 1;
		assertThat(ids.stream().map(DeliveryCheck::sequence).sorted().toList()).as("dense, each once")
			.isEqualTo(java.util.stream.LongStream.range(first, first + threads * each).boxed().toList());
		HistoryPage all = readAll(store, start, store.latestId(), (e) -> true);
		assertThat(all.events()).hasSize(threads * each);
		for (StoredEvent event : all.events()) {
			String data = new String(event.frame().bytes(), StandardCharsets.UTF_8);
			String thread = data.substring(data.indexOf("data: ") + 6, data.indexOf(':', data.indexOf("data: ") + 6));
			assertThat(event.topics()).containsExactly("t" + thread);
		}
	}

	@Test
	void afterRedisLosesItsDataOldIdsAreUnknownNotAGap() {
		RedisStreamSseEventStore store = store(1000, Duration.ofMinutes(5), Clock.systemUTC());
		StoredEvent before = append(store, "before", "a");
		deleteKeys(); // what a restart without persistence does
		RedisStreamSseEventStore restartedNode = store(1000, Duration.ofMinutes(5), Clock.systemUTC());
		StoredEvent after = append(restartedNode, "after", "a");
		assertThat(after.id()).doesNotStartWith(before.id().substring(0, before.id().indexOf('-') + 1));
		String generation = generationOf(after);
		for (RedisStreamSseEventStore node : List.of(restartedNode, store)) {
			HistoryPage page = readAll(node, before.id(), after.id(), (e) -> true);
			assertThat(page.reset()).isEqualTo(HistoryPage.Reset.UNKNOWN);
			// What followed the old id is lost; the new generation is all there, from its start.
			assertThat(page.complete()).isFalse();
			assertThat(page.next()).isEqualTo(generation + "-0");
			assertThat(ids(readAll(node, page.next(), after.id(), (e) -> true))).containsExactly(after.id());
		}
	}

	@Test
	void anOldIdWhenTheNewGenerationsStartIsTrimmedTooIsOneResetToTheEnd() {
		RedisStreamSseEventStore store = store(10, Duration.ofMinutes(5), Clock.systemUTC());
		StoredEvent before = append(store, "before", "a");
		deleteKeys(); // what a restart without persistence does
		StoredEvent last = null;
		for (int i = 0; i < 1000; i++) {
			last = append(store, Integer.toString(i), "a");
		}
		HistoryPage page = store.read(before.id(), last.id(), (e) -> true, 100, Long.MAX_VALUE);
		assertThat(page.reset()).isEqualTo(HistoryPage.Reset.UNKNOWN);
		assertThat(page.complete()).isTrue();
		assertThat(page.next()).isEqualTo(last.id());
	}

	@Test
	void idsInTheHoleThatRestoringOnlyTheStreamLeavesAreExpiredAndTheEventsAfterItAreExact() {
		RedisStreamSseEventStore store = store(1000, Duration.ofMinutes(5), Clock.systemUTC());
		List<StoredEvent> events = new ArrayList<>();
		for (int i = 1; i <= 5; i++) {
			events.add(append(store, "e" + i, "a"));
		}
		byte[] backup;
		try (var connection = this.connectionFactory.getConnection()) {
			backup = connection.keyCommands().dump(this.keys.stream());
		}
		for (int i = 6; i <= 8; i++) {
			events.add(append(store, "e" + i, "a"));
		}
		try (var connection = this.connectionFactory.getConnection()) {
			// The stream goes back to e1..e5; the counter stays at 8: e6..e8 are gone from the history.
			connection.keyCommands().restore(this.keys.stream(), 0, backup, true);
		}
		StoredEvent e9 = append(store, "e9", "a");
		assertThat(e9.id()).as("the same generation goes on").isEqualTo(generationOf(events.get(0)) + "-9");
		for (int inHole = 4; inHole <= 6; inHole++) { // after e5, e6, e7: the next event is missing
			HistoryPage page = readAll(store, events.get(inHole).id(), e9.id(), (e) -> true);
			assertThat(page.reset()).as(events.get(inHole).id()).isEqualTo(HistoryPage.Reset.EXPIRED);
			assertThat(page.next()).isEqualTo(e9.id());
		}
		assertThat(readAll(store, events.get(2).id(), e9.id(), (e) -> true).reset())
			.as("a replay that would run into the hole").isEqualTo(HistoryPage.Reset.EXPIRED);
		assertThat(ids(readAll(store, events.get(7).id(), e9.id(), (e) -> true))).containsExactly(e9.id());
	}

	/** Both keys of the store, the stream and its generation hash. */
	private void deleteKeys() {
		try (var connection = this.connectionFactory.getConnection()) {
			connection.keyCommands().del(this.keys.stream(), this.keys.generation());
		}
	}

	private static String generationOf(StoredEvent event) {
		return event.id().substring(0, event.id().lastIndexOf('-'));
	}

}
