package io.github.ssestarter.engine;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import io.github.ssestarter.store.HistoryPage;
import io.github.ssestarter.store.OutgoingEvent;
import io.github.ssestarter.store.SseEventStore;
import io.github.ssestarter.store.StoredEvent;
import io.github.ssestarter.support.RecordingTransport;
import io.github.ssestarter.support.TestEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The maintenance schedule. */
class SseLifecycleTest {

	@Test
	void anErrorInOneMaintenancePassDoesNotStopTheNextOnes() {
		AtomicInteger passes = new AtomicInteger();
		TestEngines engines = new TestEngines();
		engines.heartbeat = Duration.ofMillis(100);
		engines.storeWrapper = (store) -> new FailingEviction(store, passes);
		SseEngine engine = engines.build();
		SseLifecycle lifecycle = new SseLifecycle(engine, Duration.ofSeconds(1));
		lifecycle.start();
		try {
			RecordingTransport transport = new RecordingTransport();
			engine.open(TestEngines.topics("news"), transport);
			// every pass throws (after its heartbeats): the schedule must go on all the same
			await().atMost(Duration.ofSeconds(10)).until(() -> passes.get() >= 5
					&& transport.text().split(": heartbeat", -1).length > 3);
			assertThat(lifecycle.isRunning()).isTrue();
		}
		finally {
			lifecycle.stop();
			engine.close();
		}
	}

	/** A history whose expiry fails with an {@link Error} every time. */
	private record FailingEviction(SseEventStore delegate, AtomicInteger passes) implements SseEventStore {

		@Override
		public StoredEvent append(OutgoingEvent event) {
			return this.delegate.append(event);
		}

		@Override
		public String latestId() {
			return this.delegate.latestId();
		}

		@Override
		public HistoryPage read(String afterId, String upToId, Predicate<StoredEvent> filter, int maxEvents,
				long maxBytes) {
			return this.delegate.read(afterId, upToId, filter, maxEvents, maxBytes);
		}

		@Override
		public boolean isLocal() {
			return true;
		}

		@Override
		public void evictExpired() {
			this.passes.incrementAndGet();
			throw new StackOverflowError("a store that fails badly");
		}

	}

}
