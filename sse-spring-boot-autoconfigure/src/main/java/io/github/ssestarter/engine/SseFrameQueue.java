package io.github.ssestarter.engine;

import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

import io.github.ssestarter.encode.SseFrame;

/**
 * The frames waiting for one stream, bounded by event count and bytes, and what happens
 * to an event that does not fit ({@link OverflowPolicy}).
 *
 * <h2>Concurrency design</h2>
 * <p>
 * <b>Threads.</b> Event frames are offered by the dispatcher, one at a time under its
 * lock; protocol frames (heartbeats, probes) by any thread. Only the stream's drainer
 * polls, so what it takes is always a contiguous run of what was queued: a stream never
 * skips an event without saying so. The one exception is {@link OverflowPolicy#DROP_OLDEST},
 * where an offer takes the oldest frame to make room; under the drop policies every
 * taking is done under {@code gapLock}, so there is one taker at a time
 * ({@link FrameRing}).
 * <p>
 * <b>Caps.</b> {@code usage} packs the event count (high bits) and the byte count (low 40
 * bits), so both caps are checked and reserved in a single CAS and hold exactly however
 * many threads offer at once. A frame's share is reserved before it is enqueued and
 * released by whoever polls it. An empty queue always accepts one frame, so an event
 * larger than the byte cap still reaches an idle client. Protocol frames never displace
 * events: one that does not fit is discarded (a heartbeat on a full queue is pointless).
 * <p>
 * <b>Catch-up.</b> Under {@link OverflowPolicy#CATCH_UP} the first event that does not fit
 * raises {@code lagging} (and the connection wakes its drainer, which may have gone idle
 * since the offer found the queue full): from then on events are deferred (the stream
 * will read them from the history) until the drainer has written everything queued and
 * rejoins the live flow ({@link #rejoin()}). Both transitions happen under the
 * dispatcher's lock, which is what makes the seam exact: every event up to the position
 * recorded at the rejoin was either queued before the stream lagged or is read from the
 * history, every later one is queued.
 * <p>
 * <b>Drop notices.</b> Under both drop policies, what was dropped since the last notice
 * ({@code missed}, the newest dropped id) is guarded by {@code gapLock}, which the drainer
 * holds while it takes a batch ({@link #beginBatch()}); so a drop falls between two
 * batches and its {@code sse.reset} notice lands exactly where the gap is
 * ({@link #takeGapNotice(boolean)}). Drop-oldest drops at the head: the notice goes before
 * the next batch. Drop-newest drops at the tail: the offer that next queues an event
 * queues the notice before it, or, if none comes, the drainer writes it once it has
 * written the queue.
 */
final class SseFrameQueue {

	private static final int EVENT_SHIFT = 40;

	private static final long ONE_EVENT = 1L << EVENT_SHIFT;

	private static final long BYTES_MASK = ONE_EVENT - 1;

	private static final AtomicLongFieldUpdater<SseFrameQueue> USAGE = AtomicLongFieldUpdater
		.newUpdater(SseFrameQueue.class, "usage");

	private static final AtomicLongFieldUpdater<SseFrameQueue> DROPPED = AtomicLongFieldUpdater
		.newUpdater(SseFrameQueue.class, "droppedEvents");

	private final FrameRing frames = new FrameRing();

	private final SseConnectionSettings settings;

	private final SseCounters counters;

	private final SseConnection.Owner owner;

	/** Only under the drop policies. */
	private final @Nullable ReentrantLock gapLock;

	private volatile long usage;

	private volatile long droppedEvents;

	/** Catch-up: events are deferred to the history. Changed only under the dispatcher's lock. */
	private volatile boolean lagging;

	/** Events dropped since the last notice, and the newest of them. Guarded by gapLock. */
	private long missed;

	private @Nullable String lastMissed;

	/** Whether {@code missed} is positive; read without the lock to keep it off the path of every offer. */
	private volatile boolean gapPending;

	SseFrameQueue(SseConnectionSettings settings, SseCounters counters, SseConnection.Owner owner) {
		this.settings = settings;
		this.counters = counters;
		this.owner = owner;
		OverflowPolicy policy = settings.overflowPolicy();
		this.gapLock = (policy == OverflowPolicy.DROP_OLDEST || policy == OverflowPolicy.DROP_NEWEST)
				? new ReentrantLock() : null;
	}

	/**
	 * Queue a frame, or apply the overflow policy. Never blocks (except for the brief
	 * {@code gapLock} under drop-oldest) and never throws.
	 * @param frame the frame
	 * @return {@link OfferResult#ACCEPTED}, {@link OfferResult#DEFERRED} (catching up) or
	 * {@link OfferResult#DROPPED} (the caller closes the stream under {@code disconnect})
	 */
	OfferResult offer(SseFrame frame) {
		boolean event = frame.isEvent();
		if (this.lagging) {
			return event ? OfferResult.DEFERRED : OfferResult.DROPPED;
		}
		for (;;) {
			long current = this.usage;
			if (fits(current, frame.size())) {
				if (USAGE.compareAndSet(this, current, current + share(frame))) {
					break;
				}
				continue;
			}
			if (!event) {
				return OfferResult.DROPPED;
			}
			switch (this.settings.overflowPolicy()) {
				case CATCH_UP -> {
					this.lagging = true;
					this.counters.recordCatchUp();
					return OfferResult.DEFERRED;
				}
				case DROP_NEWEST -> {
					this.gapLock.lock();
					try {
						recordMissed(frame);
					}
					finally {
						this.gapLock.unlock();
					}
					return OfferResult.DROPPED;
				}
				case DROP_OLDEST -> dropOldest();
				case DISCONNECT -> {
					countDropped(1);
					return OfferResult.DROPPED;
				}
			}
		}
		if (event && this.settings.overflowPolicy() == OverflowPolicy.DROP_NEWEST && this.gapPending) {
			this.gapLock.lock();
			try {
				SseFrame notice = takeGapNotice();
				if (notice != null) {
					enqueue(notice); // right before the first event after the gap
				}
				this.frames.offer(frame, queuedFrames());
			}
			finally {
				this.gapLock.unlock();
			}
			return OfferResult.ACCEPTED;
		}
		this.frames.offer(frame, queuedFrames());
		return OfferResult.ACCEPTED;
	}

	private boolean fits(long current, int size) {
		long events = current >>> EVENT_SHIFT;
		if (events == 0) {
			return true;
		}
		return events < this.settings.maxQueuedEvents()
				&& (current & BYTES_MASK) + size <= this.settings.maxQueuedBytes();
	}

	private static long share(SseFrame frame) {
		return ONE_EVENT + frame.size();
	}

	/** Queue a frame beyond the caps (a notice that must not be lost). */
	private void enqueue(SseFrame frame) {
		USAGE.addAndGet(this, share(frame));
		this.frames.offer(frame, queuedFrames());
	}

	private void dropOldest() {
		this.gapLock.lock();
		try {
			SseFrame oldest = this.frames.poll();
			if (oldest == null) {
				Thread.onSpinWait(); // reserved by an offer of a protocol frame that has not enqueued yet
				return;
			}
			release(oldest);
			if (oldest.isEvent()) {
				recordMissed(oldest);
			}
		}
		finally {
			this.gapLock.unlock();
		}
	}

	/** Under gapLock. */
	private void recordMissed(SseFrame event) {
		this.missed++;
		this.lastMissed = event.id();
		this.gapPending = true;
		countDropped(1);
	}

	/** Under gapLock: the notice for what was dropped since the last one, or {@code null}. */
	private @Nullable SseFrame takeGapNotice() {
		if (this.missed == 0) {
			return null;
		}
		SseFrame notice = this.owner.resetNotice(ResetReason.DROPPED, null, this.missed, this.lastMissed);
		this.missed = 0;
		this.gapPending = false;
		return notice;
	}

	private void countDropped(int events) {
		DROPPED.addAndGet(this, events);
		this.counters.recordDropped(DropReason.QUEUE_FULL, events);
	}

	private void release(SseFrame frame) {
		USAGE.addAndGet(this, -share(frame));
	}

	/**
	 * Start taking a batch (drainer only). Under the drop policies, holds off drops until
	 * {@link #endBatch()}.
	 */
	void beginBatch() {
		if (this.gapLock != null) {
			this.gapLock.lock();
		}
	}

	void endBatch() {
		if (this.gapLock != null) {
			this.gapLock.unlock();
		}
	}

	/**
	 * The notice the drainer writes for events dropped since the last notice, if it goes
	 * here (drainer only, between {@link #beginBatch()} and {@link #endBatch()}): under
	 * drop-oldest at the start of a batch, under drop-newest once the queue is empty.
	 * @param queueWritten whether the drainer has just found the queue empty
	 * @return the notice, or {@code null}
	 */
	@Nullable SseFrame takeGapNotice(boolean queueWritten) {
		if (!this.gapPending) {
			return null;
		}
		boolean here = (this.settings.overflowPolicy() == OverflowPolicy.DROP_OLDEST) != queueWritten;
		return here ? takeGapNotice() : null;
	}

	/**
	 * Take the oldest frame (drainer only).
	 * @return the frame, or {@code null} if none is queued
	 */
	@Nullable SseFrame poll() {
		SseFrame frame;
		ReentrantLock lock = this.gapLock;
		if (lock == null) {
			frame = this.frames.poll();
		}
		else {
			lock.lock(); // drop-oldest takes frames from the offering thread: one taker at a time
			try {
				frame = this.frames.poll();
			}
			finally {
				lock.unlock();
			}
		}
		if (frame != null) {
			release(frame);
		}
		return frame;
	}

	/**
	 * Drop every queued frame (drainer only, or once no drainer can run again).
	 * @return how many events were dropped
	 */
	int discard() {
		int events = 0;
		SseFrame frame;
		while ((frame = poll()) != null) {
			events += frame.isEvent() ? 1 : 0;
		}
		return events;
	}

	/** Accept live events again after catching up; called under the dispatcher's lock. */
	void rejoin() {
		this.lagging = false;
	}

	boolean isLagging() {
		return this.lagging;
	}

	boolean isEmpty() {
		return this.frames.isEmpty(); // safe from any thread
	}

	/** Nothing queued or reserved, and not catching up. */
	boolean isIdle() {
		return this.usage == 0 && !this.lagging;
	}

	int queuedFrames() {
		return (int) (this.usage >>> EVENT_SHIFT);
	}

	long queuedBytes() {
		return this.usage & BYTES_MASK;
	}

	/** Events discarded by the drop policies. */
	long droppedEvents() {
		return this.droppedEvents;
	}

}
