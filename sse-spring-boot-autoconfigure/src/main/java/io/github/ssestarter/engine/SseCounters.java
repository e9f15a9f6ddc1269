package io.github.ssestarter.engine;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

import org.jspecify.annotations.Nullable;

/**
 * Engine-wide event and connection counts since start, updated on the hot path without
 * contention ({@link LongAdder}) and read by stats, metrics and health.
 *
 * @since 0.1.0
 */
public final class SseCounters {

	/**
	 * Create an instance.
	 */
	public SseCounters() {
	}

	private final LongAdder published = new LongAdder();

	private final LongAdder delivered = new LongAdder();

	private final LongAdder replayed = new LongAdder();

	private final LongAdder caughtUp = new LongAdder();

	private final LongAdder catchUps = new LongAdder();

	private final LongAdder[] resets = adders(ResetReason.values().length);

	private final LongAdder opened = new LongAdder();

	private final LongAdder[] dropped = adders(DropReason.values().length);

	private final LongAdder[] closed = adders(CloseReason.values().length);

	private volatile @Nullable LongConsumer latencyRecorder;

	private static LongAdder[] adders(int count) {
		LongAdder[] adders = new LongAdder[count];
		for (int i = 0; i < count; i++) {
			adders[i] = new LongAdder();
		}
		return adders;
	}

	void recordPublished() {
		this.published.increment();
	}

	void recordDelivered(int events) {
		this.delivered.add(events);
	}

	void recordReplayed(int events) {
		this.replayed.add(events);
	}

	void recordCaughtUp(int events) {
		this.caughtUp.add(events);
	}

	void recordCatchUp() {
		this.catchUps.increment();
	}

	void recordReset(ResetReason reason) {
		this.resets[reason.ordinal()].increment();
	}

	void recordResets(ResetReason reason, long count) {
		this.resets[reason.ordinal()].add(count);
	}

	void recordDropped(DropReason reason, int events) {
		this.dropped[reason.ordinal()].add(events);
	}

	void recordOpened() {
		this.opened.increment();
	}

	void recordClosed(CloseReason reason) {
		this.closed[reason.ordinal()].increment();
	}

	/**
	 * Receive the delivery latency of every live event written to a client: nanoseconds
	 * from its publication on this node (or its arrival from the backplane) to the flush.
	 * @param recorder the recorder, or {@code null} to stop recording
	 */
	public void setLatencyRecorder(@Nullable LongConsumer recorder) {
		this.latencyRecorder = recorder;
	}

	@Nullable LongConsumer latencyRecorder() {
		return this.latencyRecorder;
	}

	/**
	 * Events published through this node.
	 * @return the count
	 */
	public long published() {
		return this.published.sum();
	}

	/**
	 * Live events written to clients.
	 * @return the count
	 */
	public long delivered() {
		return this.delivered.sum();
	}

	/**
	 * Events written from the history to clients that resumed with {@code Last-Event-ID}.
	 * @return the count
	 */
	public long replayed() {
		return this.replayed.sum();
	}

	/**
	 * Events written from the history to streams that had fallen behind.
	 * @return the count
	 * @since 0.2.0
	 */
	public long caughtUp() {
		return this.caughtUp.sum();
	}

	/**
	 * Times a stream fell behind and started catching up from the history.
	 * @return the count
	 * @since 0.2.0
	 */
	public long catchUps() {
		return this.catchUps.sum();
	}

	/**
	 * {@code sse.reset} events sent for one reason.
	 * @param reason the reason
	 * @return the count
	 * @since 0.2.0
	 */
	public long resets(ResetReason reason) {
		return this.resets[reason.ordinal()].sum();
	}

	/**
	 * {@code sse.reset} events sent, for any reason.
	 * @return the count
	 * @since 0.2.0
	 */
	public long resetsTotal() {
		return sum(this.resets);
	}

	/**
	 * Events dropped for one reason.
	 * @param reason the reason
	 * @return the count
	 */
	public long dropped(DropReason reason) {
		return this.dropped[reason.ordinal()].sum();
	}

	/**
	 * Events dropped for any reason.
	 * @return the count
	 */
	public long droppedTotal() {
		return sum(this.dropped);
	}

	private static long sum(LongAdder[] adders) {
		long total = 0;
		for (LongAdder adder : adders) {
			total += adder.sum();
		}
		return total;
	}

	/**
	 * Streams opened.
	 * @return the count
	 */
	public long opened() {
		return this.opened.sum();
	}

	/**
	 * Streams closed for one reason.
	 * @param reason the reason
	 * @return the count
	 */
	public long closed(CloseReason reason) {
		return this.closed[reason.ordinal()].sum();
	}

}
