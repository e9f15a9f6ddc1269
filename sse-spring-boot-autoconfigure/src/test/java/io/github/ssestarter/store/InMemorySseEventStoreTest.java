package io.github.ssestarter.store;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.github.ssestarter.encode.EncodedEvent;

import static io.github.ssestarter.support.HistoryReads.ids;
import static io.github.ssestarter.support.HistoryReads.readAll;
import static org.assertj.core.api.Assertions.assertThat;

class InMemorySseEventStoreTest {

	private final MutableClock clock = new MutableClock();

	private StoredEvent append(SseEventStore store, String... topics) {
		byte[] body = "data: x\n\n".getBytes(StandardCharsets.UTF_8);
		return store.append(new OutgoingEvent(Set.of(topics), topics.length == 0, new EncodedEvent(body)));
	}


	@Test
	void idsAreEpochAndSequenceAndTheFrameStartsWithTheId() {
		InMemorySseEventStore store = new InMemorySseEventStore(10, Long.MAX_VALUE, Duration.ofMinutes(1), this.clock);
		assertThat(store.latestId()).isEqualTo(store.epoch() + "-0");
		StoredEvent first = append(store, "a");
		assertThat(first.id()).isEqualTo(store.epoch() + "-1");
		assertThat(first.frame().toString()).isEqualTo("id: " + first.id() + "\ndata: x\n\n");
		assertThat(append(store, "a").id()).isEqualTo(store.epoch() + "-2");
		assertThat(store.latestId()).isEqualTo(store.epoch() + "-2");
	}

	@Test
	void epochsDifferBetweenInstances() {
		assertThat(new InMemorySseEventStore(1, Long.MAX_VALUE, Duration.ofMinutes(1), this.clock).epoch())
			.isNotEqualTo(new InMemorySseEventStore(1, Long.MAX_VALUE, Duration.ofMinutes(1), this.clock).epoch());
	}

	@Test
	void replaysEventsAfterTheIdUpToTheLimitMatchingTheFilter() {
		InMemorySseEventStore store = new InMemorySseEventStore(10, Long.MAX_VALUE, Duration.ofMinutes(1), this.clock);
		String start = store.latestId();
		StoredEvent a1 = append(store, "a");
		append(store, "b");
		StoredEvent a3 = append(store, "a", "b");
		StoredEvent all = append(store);
		StoredEvent a5 = append(store, "a");
		HistoryPage result = readAll(store, start, all.id(), (event) -> event.isFor(Set.of("a")));
		assertThat(result.reset()).isNull();
		assertThat(ids(result)).containsExactly(a1.id(), a3.id(), all.id());
		assertThat(ids(readAll(store, a3.id(), a5.id(), (event) -> true))).containsExactly(all.id(), a5.id());
		assertThat(ids(readAll(store, a5.id(), a5.id(), (event) -> true))).isEmpty();
	}

	@Test
	void foreignMalformedAndFutureIdsAreUnknown() {
		InMemorySseEventStore store = new InMemorySseEventStore(10, Long.MAX_VALUE, Duration.ofMinutes(1), this.clock);
		String head = append(store, "a").id();
		for (String id : List.of("other-1", store.epoch() + "-", store.epoch() + "-x", store.epoch() + "-99", "1",
				store.epoch() + "-99999999999999999999999")) {
			assertThat(readAll(store, id, head, (event) -> true).reset()).as(id).isEqualTo(HistoryPage.Reset.UNKNOWN);
		}
	}

	@Test
	void anIdOfAnEarlierInstanceIsResetBeforeThisInstancesFirstEventWhileTheHistoryHoldsIt() {
		InMemorySseEventStore earlier = new InMemorySseEventStore(3, Long.MAX_VALUE, Duration.ofMinutes(1), this.clock);
		String old = append(earlier, "a").id();
		InMemorySseEventStore store = new InMemorySseEventStore(3, Long.MAX_VALUE, Duration.ofMinutes(1), this.clock);
		StoredEvent e1 = append(store, "a");
		append(store, "b");
		StoredEvent e3 = append(store, "a");
		HistoryPage page = store.read(old, e3.id(), (event) -> event.isFor(Set.of("a")), 100, Long.MAX_VALUE);
		assertThat(page.reset()).isEqualTo(HistoryPage.Reset.UNKNOWN);
		assertThat(page.next()).isEqualTo(store.epoch() + "-0");
		assertThat(page.complete()).isFalse();
		assertThat(ids(readAll(store, page.next(), e3.id(), (event) -> event.isFor(Set.of("a")))))
			.containsExactly(e1.id(), e3.id());
		// Once this instance's first event has left the history: one reset, to the end of the range.
		StoredEvent e4 = append(store, "a");
		for (String id : List.of(old, "from-another-life-42", "Upper-1", store.epoch() + "-99")) {
			page = store.read(id, e4.id(), (event) -> true, 100, Long.MAX_VALUE);
			assertThat(page.reset()).as(id).isEqualTo(HistoryPage.Reset.UNKNOWN);
			assertThat(page.next()).as(id).isEqualTo(e4.id());
			assertThat(page.complete()).as(id).isTrue();
		}
	}

	@Test
	void idsOlderThanTheRetainedCountAreExpired() {
		InMemorySseEventStore store = new InMemorySseEventStore(3, Long.MAX_VALUE, Duration.ofMinutes(1), this.clock);
		String start = store.latestId();
		StoredEvent e1 = append(store, "a");
		StoredEvent e2 = append(store, "a");
		append(store, "a");
		append(store, "a");
		StoredEvent e5 = append(store, "a");
		assertThat(readAll(store, start, e5.id(), (event) -> true).reset()).isEqualTo(HistoryPage.Reset.EXPIRED);
		assertThat(readAll(store, e1.id(), e5.id(), (event) -> true).reset()).isEqualTo(HistoryPage.Reset.EXPIRED);
		assertThat(ids(readAll(store, e2.id(), e5.id(), (event) -> true))).hasSize(3).endsWith(e5.id());
	}

	@Test
	void eventsOlderThanTheMaximumAgeExpire() {
		InMemorySseEventStore store = new InMemorySseEventStore(10, Long.MAX_VALUE, Duration.ofSeconds(30), this.clock);
		StoredEvent e1 = append(store, "a");
		this.clock.advance(Duration.ofSeconds(20));
		StoredEvent e2 = append(store, "a");
		this.clock.advance(Duration.ofSeconds(20));
		StoredEvent e3 = append(store, "a");
		// e1 is 40 s old: gone, so resuming before it is a gap; resuming after it still works.
		assertThat(readAll(store, store.epoch() + "-0", e3.id(), (event) -> true).reset())
			.isEqualTo(HistoryPage.Reset.EXPIRED);
		assertThat(ids(readAll(store, e1.id(), e3.id(), (event) -> true))).containsExactly(e2.id(), e3.id());
		this.clock.advance(Duration.ofMinutes(5));
		store.evictExpired();
		assertThat(readAll(store, e2.id(), e3.id(), (event) -> true).reset()).isEqualTo(HistoryPage.Reset.EXPIRED);
		assertThat(ids(readAll(store, e3.id(), e3.id(), (event) -> true))).isEmpty();
	}

	@Test
	void aStoreThatKeepsNothingStillAssignsIds() {
		InMemorySseEventStore store = new InMemorySseEventStore(0, Long.MAX_VALUE, Duration.ofMinutes(1), this.clock);
		String start = store.latestId();
		StoredEvent e1 = append(store, "a");
		StoredEvent e2 = append(store, "a");
		assertThat(e2.id()).isEqualTo(store.epoch() + "-2");
		assertThat(readAll(store, start, e2.id(), (event) -> true).reset()).isEqualTo(HistoryPage.Reset.EXPIRED);
		assertThat(ids(readAll(store, e2.id(), e2.id(), (event) -> true))).isEmpty();
		assertThat(readAll(store, e1.id(), e2.id(), (event) -> true).reset()).isEqualTo(HistoryPage.Reset.EXPIRED);
	}

	@Test
	void pagesAreBoundedByCountAndBytesAndFollowEachOtherExactly() {
		InMemorySseEventStore store = new InMemorySseEventStore(100, Long.MAX_VALUE, Duration.ofMinutes(1), this.clock);
		String start = store.latestId();
		List<String> all = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			all.add(append(store, (i % 2 == 0) ? "a" : "b").id());
		}
		String last = all.get(19);
		HistoryPage first = store.read(start, last, (event) -> true, 3, Long.MAX_VALUE);
		assertThat(ids(first)).containsExactlyElementsOf(all.subList(0, 3));
		assertThat(first.next()).isEqualTo(all.get(2));
		assertThat(first.complete()).isFalse();
		// A byte cap below one event still yields one event per page, so a reader always moves on.
		HistoryPage tiny = store.read(first.next(), last, (event) -> true, 100, 1);
		assertThat(ids(tiny)).containsExactly(all.get(3));
		// Filtered pages: the position moves past events that do not match.
		List<String> received = new ArrayList<>();
		String after = start;
		HistoryPage page;
		do {
			page = store.read(after, last, (event) -> event.isFor(Set.of("a")), 2, Long.MAX_VALUE);
			received.addAll(ids(page));
			after = page.next();
		}
		while (!page.complete());
		assertThat(received).containsExactly(all.get(0), all.get(2), all.get(4), all.get(6), all.get(8), all.get(10),
				all.get(12), all.get(14), all.get(16), all.get(18));
		assertThat(after).isEqualTo(last);
	}

	@Test
	void aPageReadsABoundedWindowWhenFewEventsMatch() {
		InMemorySseEventStore store = new InMemorySseEventStore(10_000, Long.MAX_VALUE, Duration.ofMinutes(1),
				this.clock);
		String start = store.latestId();
		for (int i = 0; i < InMemorySseEventStore.SCAN_LIMIT + 10; i++) {
			append(store, "busy");
		}
		StoredEvent rare = append(store, "rare");
		HistoryPage first = store.read(start, rare.id(), (event) -> event.isFor(Set.of("rare")), 100, Long.MAX_VALUE);
		assertThat(first.events()).isEmpty();
		assertThat(first.complete()).isFalse();
		assertThat(first.next()).isEqualTo(store.epoch() + "-" + InMemorySseEventStore.SCAN_LIMIT);
		HistoryPage second = store.read(first.next(), rare.id(), (event) -> event.isFor(Set.of("rare")), 100,
				Long.MAX_VALUE);
		assertThat(ids(second)).containsExactly(rare.id());
		assertThat(second.complete()).isTrue();
	}

	@Test
	void theHistoryNeverHoldsMoreBytesThanItsCap() {
		byte[] body = ("data: " + "x".repeat(1000) + "\n\n").getBytes(StandardCharsets.UTF_8);
		InMemorySseEventStore store = new InMemorySseEventStore(1000, 10_000, Duration.ofMinutes(1), this.clock);
		List<StoredEvent> events = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			events.add(store.append(new OutgoingEvent(Set.of("a"), false, new EncodedEvent(body))));
			assertThat(store.retainedBytes()).isLessThanOrEqualTo(10_000);
		}
		// The newest events whose frames fit in the cap together (ids, and so frames, grow with the sequence).
		long kept = 0;
		long bytes = 0;
		while (bytes + events.get((int) (99 - kept)).frame().size() <= 10_000) {
			bytes += events.get((int) (99 - kept++)).frame().size();
		}
		assertThat(store.retainedEvents()).isEqualTo(kept);
		assertThat(store.retainedBytes()).isEqualTo(bytes);
		String last = events.get(99).id();
		assertThat(ids(readAll(store, events.get((int) (99 - kept)).id(), last, (event) -> true))).hasSize((int) kept);
		assertThat(readAll(store, events.get((int) (98 - kept)).id(), last, (event) -> true).reset())
			.isEqualTo(HistoryPage.Reset.EXPIRED);
	}

	@Test
	void theNewestEventIsKeptEvenWhenItAloneExceedsTheByteCap() {
		byte[] body = ("data: " + "x".repeat(100) + "\n\n").getBytes(StandardCharsets.UTF_8);
		// A cap as large as the event's data but not its id line, as sse.replay.max-bytes = sse.max-event-size allows.
		InMemorySseEventStore store = new InMemorySseEventStore(10, body.length, Duration.ofMinutes(1), this.clock);
		StoredEvent first = store.append(new OutgoingEvent(Set.of("a"), false, new EncodedEvent(body)));
		StoredEvent second = store.append(new OutgoingEvent(Set.of("a"), false, new EncodedEvent(body)));
		assertThat(store.retainedEvents()).isEqualTo(1);
		assertThat(ids(readAll(store, first.id(), second.id(), (event) -> true))).containsExactly(second.id());
	}

	static final class MutableClock extends Clock {

		private Instant now = Instant.parse("2026-01-01T00:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
