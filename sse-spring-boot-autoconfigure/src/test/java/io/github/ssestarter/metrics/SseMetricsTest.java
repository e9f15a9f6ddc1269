package io.github.ssestarter.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.engine.CloseReason;
import io.github.ssestarter.engine.OverflowPolicy;
import io.github.ssestarter.engine.SseConnection;
import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.engine.SseSubscription;
import io.github.ssestarter.support.RecordingTransport;
import io.github.ssestarter.support.TestEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Drives real traffic through the engine and checks that the meters add up. */
class SseMetricsTest {

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private SseEngine engine;

	@AfterEach
	void shutdown() {
		this.engine.shutdown(Duration.ofSeconds(1));
		this.engine.close();
	}

	private double gauge(String name) {
		return this.registry.get(name).gauge().value();
	}

	private double counter(String name, String... tags) {
		return this.registry.get(name).tags(tags).functionCounter().count();
	}

	private double closedTotal() {
		return this.registry.get("sse.connections.closed").functionCounters().stream()
			.mapToDouble((c) -> c.count()).sum();
	}

	@Test
	void metersAddUpUnderRealTraffic() {
		TestEngines engines = new TestEngines();
		engines.maxQueuedEvents = 5;
		engines.policy = OverflowPolicy.DROP_NEWEST;
		this.engine = engines.build();
		new SseMetrics(this.engine).bindTo(this.registry);

		RecordingTransport alice = new RecordingTransport();
		RecordingTransport bob = new RecordingTransport();
		RecordingTransport stalled = new RecordingTransport();
		SseConnection aliceStream = this.engine.open(new SseSubscription("alice", null, Set.of("news"), null), alice);
		this.engine.open(new SseSubscription("bob", null, Set.of("news", "sport"), null), bob);
		SseConnection stalledStream = this.engine.open(TestEngines.topics("news"), stalled);
		await().until(() -> stalled.blocks().size() == 3);
		stalled.hold();
		List<String> ids = new java.util.ArrayList<>();
		for (int i = 0; i < 20; i++) {
			ids.add(this.engine.publish("news", SseEvent.ofData("n" + i)));
			int expected = i + 1; // the fast clients keep up; only the stalled one overflows
			await().pollInterval(Duration.ofMillis(2))
				.until(() -> alice.events().size() == expected && bob.events().size() == expected);
		}
		this.engine.publish("sport", SseEvent.ofData("goal"));
		await().until(() -> alice.events().size() == 20 && bob.events().size() == 21);

		assertThat(gauge("sse.connections.active")).isEqualTo(3);
		assertThat(gauge("sse.topics.active")).isEqualTo(4); // news, sport, user:alice, user:bob
		assertThat(gauge("sse.users.online")).isEqualTo(2);
		assertThat(gauge("sse.queue.pending")).isEqualTo(stalledStream.queuedBytes()).isPositive();
		assertThat(counter("sse.events.published")).isEqualTo(21);
		assertThat(counter("sse.connections.opened")).isEqualTo(3);
		assertThat(closedTotal()).isZero();
		// stalled: 1 in flight + 5 queued, 14 dropped (queue full)
		assertThat(counter("sse.events.dropped", "reason", "queue_full")).isEqualTo(14);
		assertThat(counter("sse.catchups")).isZero(); // drop-newest does not catch up

		stalledStream.close(CloseReason.SLOW);
		stalled.release();
		await().until(() -> this.engine.liveConnections() == 2);
		// offered to the three streams: 20 + 21 + 20 = 61 = delivered + dropped
		double delivered = counter("sse.events.delivered");
		double dropped = counter("sse.events.dropped", "reason", "queue_full")
				+ counter("sse.events.dropped", "reason", "disconnected");
		assertThat(delivered + dropped).isEqualTo(61);
		assertThat(counter("sse.events.dropped", "reason", "disconnected")).isEqualTo(5);
		assertThat(this.registry.get("sse.delivery.latency").timer().count()).isEqualTo((long) delivered);
		assertThat(this.registry.get("sse.delivery.latency").timer().max(java.util.concurrent.TimeUnit.SECONDS))
			.isLessThan(10);
		assertThat(counter("sse.connections.opened") - closedTotal()).isEqualTo(gauge("sse.connections.active"));
		assertThat(counter("sse.connections.closed", "reason", "slow")).isEqualTo(1);

		// a reconnect with Last-Event-ID is replayed, not delivered
		RecordingTransport again = new RecordingTransport();
		this.engine.open(new SseSubscription(null, null, Set.of("news"), ids.get(9)), again);
		await().until(() -> again.events().size() == 10);
		assertThat(counter("sse.events.replayed")).isEqualTo(10);
		assertThat(counter("sse.events.delivered")).isEqualTo(delivered);

		aliceStream.close(CloseReason.EVICTED);
		assertThat(counter("sse.connections.opened") - closedTotal()).isEqualTo(gauge("sse.connections.active"))
			.isEqualTo(2);
		assertThat(gauge("sse.users.online")).isEqualTo(1);
	}

	@Test
	void catchUpsTheEventsTheyDeliverAndResetsAreCounted() {
		TestEngines engines = new TestEngines();
		engines.maxQueuedEvents = 5;
		engines.history = 20;
		this.engine = engines.build();
		new SseMetrics(this.engine).bindTo(this.registry);
		RecordingTransport stalled = new RecordingTransport();
		SseConnection stream = this.engine.open(TestEngines.topics("news"), stalled);
		await().until(() -> stalled.blocks().size() == 3);
		stalled.hold();
		String held = this.engine.publish("news", SseEvent.ofData("held"));
		await().until(() -> stream.queuedFrames() == 0); // its write is in progress, held
		for (int i = 0; i < 15; i++) {
			this.engine.publish("news", SseEvent.ofData("n" + i));
		}
		stalled.release();
		// held is written, n0..n4 were queued, n5..n14 come from the history
		await().until(() -> stalled.events().size() == 16);
		assertThat(counter("sse.catchups")).isEqualTo(1);
		assertThat(counter("sse.events.caught.up")).isEqualTo(10);
		assertThat(counter("sse.events.delivered")).isEqualTo(6);
		assertThat(counter("sse.resets", "reason", "lagged")).isZero();

		// A client resuming from an event that has left the 20-event history is told so.
		for (int i = 0; i < 30; i++) {
			this.engine.publish("news", SseEvent.ofData("m" + i));
		}
		RecordingTransport late = new RecordingTransport();
		this.engine.open(new SseSubscription(null, null, Set.of("news"), held), late);
		await().until(() -> late.blocks().stream().anyMatch((block) -> "sse.reset".equals(block.event())));
		assertThat(counter("sse.resets", "reason", "expired")).isEqualTo(1);
	}

	@Test
	void everyReasonIsRegisteredFromTheStartSoRatesWorkFromZero() {
		this.engine = new TestEngines().build();
		new SseMetrics(this.engine).bindTo(this.registry);
		assertThat(this.registry.get("sse.connections.closed").functionCounters()).extracting((c) -> c.getId().getTag("reason"))
			.containsExactlyInAnyOrder("client", "timeout", "slow", "evicted", "limit", "shutdown", "error", "behind",
					"session_ended", "token_expired");
		assertThat(this.registry.get("sse.events.dropped").functionCounters()).extracting((c) -> c.getId().getTag("reason"))
			.containsExactlyInAnyOrder("queue_full", "disconnected");
		assertThat(this.registry.get("sse.resets").functionCounters()).extracting((c) -> c.getId().getTag("reason"))
			.containsExactlyInAnyOrder("unknown", "expired", "unavailable", "lagged", "dropped");
	}

}
