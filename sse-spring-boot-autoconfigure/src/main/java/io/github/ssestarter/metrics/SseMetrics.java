package io.github.ssestarter.metrics;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.noop.NoopTimer;

import io.github.ssestarter.backplane.SseBackplane;
import io.github.ssestarter.engine.CloseReason;
import io.github.ssestarter.engine.DropReason;
import io.github.ssestarter.engine.ResetReason;
import io.github.ssestarter.engine.SseConnectionRegistry;
import io.github.ssestarter.engine.SseCounters;
import io.github.ssestarter.engine.SseEngine;

/**
 * Micrometer meters of the SSE engine. Gauges and counters read the engine's state through
 * functions when scraped, so the hot path pays nothing for them; only the delivery latency
 * is recorded as events are written. Tags are low-cardinality: a close or drop reason,
 * never a client id or topic.
 *
 * <table>
 * <caption>Meters (Prometheus names)</caption>
 * <tr><td>{@code sse.connections.active} ({@code sse_connections_active})</td><td>gauge: open streams</td></tr>
 * <tr><td>{@code sse.topics.active}</td><td>gauge: topics with subscribers</td></tr>
 * <tr><td>{@code sse.users.online}</td><td>gauge: users with a stream open</td></tr>
 * <tr><td>{@code sse.queue.pending} ({@code sse_queue_pending_bytes})</td><td>gauge: bytes waiting in all queues</td></tr>
 * <tr><td>{@code sse.connections.opened} / {@code .closed{reason}}</td><td>counters</td></tr>
 * <tr><td>{@code sse.events.published} / {@code .delivered} / {@code .dropped{reason}} / {@code .replayed} / {@code .caught.up}</td><td>counters</td></tr>
 * <tr><td>{@code sse.catchups} / {@code sse.resets{reason}}</td><td>counters: streams that fell behind, {@code sse.reset} events sent</td></tr>
 * <tr><td>{@code sse.delivery.latency}</td><td>timer: publish to flush, per live event (the one meter the
 * writers pay for; denied with {@code management.metrics.enable.sse.delivery.latency=false}, it costs nothing)</td></tr>
 * <tr><td>{@code sse.backplane.errors} / {@code sse.backplane.skipped} / {@code sse.backplane.lag}</td><td>counters
 * / gauge of the backplane</td></tr>
 * </table>
 *
 * @since 0.1.0
 */
public class SseMetrics implements MeterBinder {

	private final SseEngine engine;

	/**
	 * Create the binder.
	 * @param engine the engine to measure
	 */
	public SseMetrics(SseEngine engine) {
		this.engine = engine;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		SseConnectionRegistry connections = this.engine.registry();
		SseCounters counters = this.engine.counters();
		Gauge.builder("sse.connections.active", connections, SseConnectionRegistry::connectionCount)
			.description("Open SSE streams")
			.register(registry);
		Gauge.builder("sse.topics.active", connections, SseConnectionRegistry::topicCount)
			.description("Topics with at least one subscribed stream")
			.register(registry);
		Gauge.builder("sse.users.online", connections, SseConnectionRegistry::userCount)
			.description("Distinct users with at least one open stream")
			.register(registry);
		Gauge.builder("sse.queue.pending", this.engine, SseEngine::pendingBytes)
			.description("Bytes waiting in all streams' queues")
			.baseUnit("bytes")
			.register(registry);
		FunctionCounter.builder("sse.connections.opened", counters, SseCounters::opened)
			.description("SSE streams opened")
			.register(registry);
		for (CloseReason reason : CloseReason.values()) {
			FunctionCounter.builder("sse.connections.closed", counters, (c) -> c.closed(reason))
				.description("SSE streams closed, by reason")
				.tag("reason", reason.tagValue())
				.register(registry);
		}
		FunctionCounter.builder("sse.events.published", counters, SseCounters::published)
			.description("Events published through this node")
			.register(registry);
		FunctionCounter.builder("sse.events.delivered", counters, SseCounters::delivered)
			.description("Live events written to clients")
			.register(registry);
		for (DropReason reason : DropReason.values()) {
			FunctionCounter.builder("sse.events.dropped", counters, (c) -> c.dropped(reason))
				.description("Events meant for a client that never reached it, by reason")
				.tag("reason", reason.tagValue())
				.register(registry);
		}
		FunctionCounter.builder("sse.events.replayed", counters, SseCounters::replayed)
			.description("Events written from the history to clients that resumed with Last-Event-ID")
			.register(registry);
		FunctionCounter.builder("sse.events.caught.up", counters, SseCounters::caughtUp)
			.description("Events written from the history to streams that had fallen behind")
			.register(registry);
		FunctionCounter.builder("sse.catchups", counters, SseCounters::catchUps)
			.description("Times a stream fell behind (its queue was full) and caught up from the history")
			.register(registry);
		for (ResetReason reason : ResetReason.values()) {
			FunctionCounter.builder("sse.resets", counters, (c) -> c.resets(reason))
				.description("sse.reset events sent: the client could not be given some events and should refetch")
				.tag("reason", reason.value())
				.register(registry);
		}
		FunctionCounter.builder("sse.backplane.errors", this.engine.backplane(), SseBackplane::errorCount)
			.description("Failed publishes and reads of the backplane")
			.register(registry);
		FunctionCounter.builder("sse.backplane.skipped", this.engine.backplane(), SseBackplane::skippedEntries)
			.description("Entries of the shared stream skipped because they are not SSE events")
			.register(registry);
		TimeGauge.builder("sse.backplane.lag", this.engine.backplane(), TimeUnit.MILLISECONDS, SseBackplane::lagMillis)
			.description("Time from storing the last event to delivering it on this node")
			.register(registry);
		Timer latency = Timer.builder("sse.delivery.latency")
			.description("Time from publishing an event to flushing it to a client's socket")
			.register(registry);
		if (!(latency instanceof NoopTimer)) {
			// Denied (management.metrics.enable.sse.delivery.latency=false): the writers then
			// skip timing altogether instead of timing every delivery for nothing.
			counters.setLatencyRecorder((nanos) -> latency.record(nanos, TimeUnit.NANOSECONDS));
		}
	}

}
