package io.github.ssestarter.store;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.github.ssestarter.encode.EncodedEvent;

import static org.assertj.core.api.Assertions.assertThat;

class InMemorySseEventStoreTest {

	private final MutableClock clock = new MutableClock();

	private StoredEvent append(SseEventStore store, String... topics) {
		byte[] body = "data: x\n\n".getBytes(StandardCharsets.UTF_8);
		return store.append(new OutgoingEvent(Set.of(topics), topics.length == 0, new EncodedEvent(body)));
	}

	private static List<String> ids(ReplayResult result) {
		return result.events().stream().map(StoredEvent::id).toList();
	}

	@Test
	void idsAreEpochAndSequenceAndTheFrameStartsWithTheId() {
		InMemorySseEventStore store = new InMemorySseEventStore(10, Duration.ofMinutes(1), this.clock);
		assertThat(store.latestId()).isEqualTo(store.epoch() + "-0");
		StoredEvent first = append(store, "a");
		assertThat(first.id()).isEqualTo(store.epoch() + "-1");
		assertThat(first.frame().toString()).isEqualTo("id: " + first.id() + "\ndata: x\n\n");
		assertThat(append(store, "a").id()).isEqualTo(store.epoch() + "-2");
		assertThat(store.latestId()).isEqualTo(store.epoch() + "-2");
	}

	@Test
	void epochsDifferBetweenInstances() {
		assertThat(new InMemorySseEventStore(1, Duration.ofMinutes(1), this.clock).epoch())
			.isNotEqualTo(new InMemorySseEventStore(1, Duration.ofMinutes(1), this.clock).epoch());
	}

	@Test
	void replaysEventsAfterTheIdUpToTheLimitMatchingTheFilter() {
		InMemorySseEventStore store = new InMemorySseEventStore(10, Duration.ofMinutes(1), this.clock);
		String start = store.latestId();
		StoredEvent a1 = append(store, "a");
		append(store, "b");
		StoredEvent a3 = append(store, "a", "b");
		StoredEvent all = append(store);
		StoredEvent a5 = append(store, "a");
		ReplayResult result = store.readAfter(start, all.id(), (event) -> event.isFor(Set.of("a")));
		assertThat(result.reset()).isNull();
		assertThat(ids(result)).containsExactly(a1.id(), a3.id(), all.id());
		assertThat(ids(store.readAfter(a3.id(), a5.id(), (event) -> true))).containsExactly(all.id(), a5.id());
		assertThat(ids(store.readAfter(a5.id(), a5.id(), (event) -> true))).isEmpty();
	}

	@Test
	void foreignMalformedAndFutureIdsAreUnknown() {
		InMemorySseEventStore store = new InMemorySseEventStore(10, Duration.ofMinutes(1), this.clock);
		String head = append(store, "a").id();
		for (String id : List.of("other-1", store.epoch() + "-", store.epoch() + "-x", store.epoch() + "-99", "1",
				store.epoch() + "-99999999999999999999999")) {
			assertThat(store.readAfter(id, head, (event) -> true).reset()).as(id).isEqualTo(ReplayResult.Reset.UNKNOWN);
		}
	}

	@Test
	void idsOlderThanTheRetainedCountAreExpired() {
		InMemorySseEventStore store = new InMemorySseEventStore(3, Duration.ofMinutes(1), this.clock);
		String start = store.latestId();
		StoredEvent e1 = append(store, "a");
		StoredEvent e2 = append(store, "a");
		append(store, "a");
		append(store, "a");
		StoredEvent e5 = append(store, "a");
		assertThat(store.readAfter(start, e5.id(), (event) -> true).reset()).isEqualTo(ReplayResult.Reset.EXPIRED);
		assertThat(store.readAfter(e1.id(), e5.id(), (event) -> true).reset()).isEqualTo(ReplayResult.Reset.EXPIRED);
		assertThat(ids(store.readAfter(e2.id(), e5.id(), (event) -> true))).hasSize(3).endsWith(e5.id());
	}

	@Test
	void eventsOlderThanTheMaximumAgeExpire() {
		InMemorySseEventStore store = new InMemorySseEventStore(10, Duration.ofSeconds(30), this.clock);
		StoredEvent e1 = append(store, "a");
		this.clock.advance(Duration.ofSeconds(20));
		StoredEvent e2 = append(store, "a");
		this.clock.advance(Duration.ofSeconds(20));
		StoredEvent e3 = append(store, "a");
		// e1 is 40 s old: gone, so resuming before it is a gap; resuming after it still works.
		assertThat(store.readAfter(store.epoch() + "-0", e3.id(), (event) -> true).reset())
			.isEqualTo(ReplayResult.Reset.EXPIRED);
		assertThat(ids(store.readAfter(e1.id(), e3.id(), (event) -> true))).containsExactly(e2.id(), e3.id());
		this.clock.advance(Duration.ofMinutes(5));
		store.evictExpired();
		assertThat(store.readAfter(e2.id(), e3.id(), (event) -> true).reset()).isEqualTo(ReplayResult.Reset.EXPIRED);
		assertThat(ids(store.readAfter(e3.id(), e3.id(), (event) -> true))).isEmpty();
	}

	@Test
	void aStoreThatKeepsNothingStillAssignsIds() {
		InMemorySseEventStore store = new InMemorySseEventStore(0, Duration.ofMinutes(1), this.clock);
		String start = store.latestId();
		StoredEvent e1 = append(store, "a");
		StoredEvent e2 = append(store, "a");
		assertThat(e2.id()).isEqualTo(store.epoch() + "-2");
		assertThat(store.readAfter(start, e2.id(), (event) -> true).reset()).isEqualTo(ReplayResult.Reset.EXPIRED);
		assertThat(ids(store.readAfter(e2.id(), e2.id(), (event) -> true))).isEmpty();
		assertThat(store.readAfter(e1.id(), e2.id(), (event) -> true).reset()).isEqualTo(ReplayResult.Reset.EXPIRED);
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
