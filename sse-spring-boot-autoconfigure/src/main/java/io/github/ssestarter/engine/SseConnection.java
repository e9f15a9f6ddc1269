package io.github.ssestarter.engine;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.LongConsumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.ssestarter.encode.SseFrame;

/**
 * One client's stream: a bounded queue of frames and the single drainer that writes them.
 *
 * <h2>Concurrency design</h2>
 * <p>
 * <b>Threads.</b> Any thread may {@link #offer} (in practice the backplane's delivery,
 * one event at a time, and the maintenance thread's heartbeats). At most one drain task
 * runs at a time and is the only code that touches the transport. Container threads (the
 * client went away, the request timed out), the maintenance thread (slow writes, maximum
 * lifetime) and application threads (evictions) may {@link #close} or {@link #end}.
 * <p>
 * <b>Queue and caps.</b> The queue is a lock-free {@link ConcurrentLinkedQueue}. Its size
 * lives in {@code usage}, one {@code long} packing the event count (high bits) and the byte
 * count (low 40 bits), so both caps are checked and reserved in a single CAS and hold
 * exactly however many threads offer at once. A frame's share is reserved before it is
 * enqueued and released by whoever polls it: the drainer, or an offer evicting the oldest
 * frame under {@link OverflowPolicy#DROP_OLDEST}. A queue that is empty always accepts one
 * frame, so an event larger than the byte cap is still delivered to an idle client.
 * <p>
 * <b>One drainer, no lost wake-up.</b> The drain status is {@code HELD} while the stream is
 * being opened (frames queue up behind the preamble), then {@code IDLE} or
 * {@code SCHEDULED}. Only the thread that moves it from {@code IDLE} to {@code SCHEDULED}
 * submits a drain task, so there is never a second drainer. A drainer with nothing left to
 * do sets {@code IDLE} and then looks again: an offer that enqueued just before saw
 * {@code SCHEDULED} and submitted nothing, and without this re-check its frame would wait
 * for the next event. A drainer that still has work resubmits itself instead of looping,
 * so a busy client cannot monopolise a writer thread.
 * <p>
 * <b>Non-blocking transports.</b> Before each write the drainer raises
 * {@code awaitingWritable} and asks {@link SseTransport#isReady()} (which also lets the
 * transport flush what it kept); on {@code false} it stops without resubmitting, and the
 * transport's {@link #writePossible()} clears the flag and schedules a drain. A callback
 * also leaves {@code writeSignalled}, which counts as work until the next drain has asked
 * the transport again: a callback that arrives while a drainer is finishing (and so
 * schedules nothing) is never lost, even with an empty queue. A stream that stays
 * unwritable longer than the write timeout is closed as slow, like a blocked write.
 * <p>
 * <b>Lifecycle.</b> {@code OPEN}, then exactly once either {@code ENDING} ({@link #end}:
 * write what is queued plus a final frame, then complete) or {@code CLOSING}
 * ({@link #close}: discard what is queued, then complete); the owner is told at that
 * transition so it unregisters the connection and no new event is offered. The drainer
 * completes the transport and moves to {@code CLOSED}. A frame that slips in during the
 * transition is discarded and counted by the next drain, so for every client, events
 * offered = delivered + dropped.
 *
 * @since 0.1.0
 */
public final class SseConnection {

	private static final Log logger = LogFactory.getLog(SseConnection.class);

	private static final int HELD = -1;

	private static final int IDLE = 0;

	private static final int SCHEDULED = 1;

	private static final int OPEN = 0;

	private static final int ENDING = 1;

	private static final int CLOSING = 2;

	private static final int CLOSED = 3;

	private static final int EVENT_SHIFT = 40;

	private static final long ONE_EVENT = 1L << EVENT_SHIFT;

	private static final long BYTES_MASK = ONE_EVENT - 1;

	private static final AtomicLongFieldUpdater<SseConnection> USAGE = AtomicLongFieldUpdater
		.newUpdater(SseConnection.class, "usage");

	private static final AtomicIntegerFieldUpdater<SseConnection> DRAIN = AtomicIntegerFieldUpdater
		.newUpdater(SseConnection.class, "drainStatus");

	private static final AtomicIntegerFieldUpdater<SseConnection> STATE = AtomicIntegerFieldUpdater
		.newUpdater(SseConnection.class, "state");

	private static final AtomicIntegerFieldUpdater<SseConnection> COMPENSATED = AtomicIntegerFieldUpdater
		.newUpdater(SseConnection.class, "compensated");

	private static final AtomicLongFieldUpdater<SseConnection> DROPPED = AtomicLongFieldUpdater
		.newUpdater(SseConnection.class, "droppedEvents");

	private static final AtomicIntegerFieldUpdater<SseConnection> RELEASED = AtomicIntegerFieldUpdater
		.newUpdater(SseConnection.class, "released");

	private final String clientId;

	private final @Nullable String userId;

	private final @Nullable String sessionId;

	private final Set<String> topics;

	private final long openedAtMillis;

	private final long deadlineNanos;

	private final SseTransport transport;

	private final SseConnectionSettings settings;

	private final SseWriterExecutor writer;

	private final SseCounters counters;

	private final Owner owner;

	private final ConcurrentLinkedQueue<SseFrame> queue = new ConcurrentLinkedQueue<>();

	private final Runnable drainTask = this::drain;

	private volatile long usage;

	private volatile int drainStatus = HELD;

	private volatile int state = OPEN;

	private volatile int compensated;

	private volatile long droppedEvents;

	private volatile long deliveredEvents;

	private volatile long writeStartedNanos;

	private volatile long lastWriteNanos;

	/** Whether the drainer waits for {@link #writePossible()}. */
	private volatile boolean awaitingWritable;

	/** The transport called {@link #writePossible()} since the drainer last asked it (it may have bytes to flush). */
	private volatile boolean writeSignalled;

	/** When the transport last said it was not ready (0: it is ready). */
	private volatile long unwritableSinceNanos;

	private volatile boolean transportEnded;

	private volatile boolean transportConfirmed;

	private volatile int released;

	private volatile @Nullable CloseReason closeReason;

	/** Frames written before the queue: opening notice and replay. Touched only by the drainer after {@link #start}. */
	private @Nullable ArrayDeque<SseFrame> preamble;

	/** Used by the dispatcher only, under its lock, to deliver a multi-topic event once. */
	long dispatchStamp;

	SseConnection(String clientId, @Nullable String userId, @Nullable String sessionId, Set<String> topics,
			long deadlineNanos, SseTransport transport, SseConnectionSettings settings, SseWriterExecutor writer,
			SseCounters counters, Owner owner) {
		this.clientId = clientId;
		this.userId = userId;
		this.sessionId = sessionId;
		this.topics = topics;
		this.openedAtMillis = System.currentTimeMillis();
		this.deadlineNanos = deadlineNanos;
		this.transport = transport;
		this.settings = settings;
		this.writer = writer;
		this.counters = counters;
		this.owner = owner;
		this.lastWriteNanos = System.nanoTime();
	}

	/**
	 * Queue a frame for this client. Never blocks and never throws.
	 * @param frame the frame
	 * @return whether it was queued, dropped by the overflow policy, or refused because
	 * the stream is closing
	 */
	public OfferResult offer(SseFrame frame) {
		if (this.state != OPEN) {
			return OfferResult.CLOSED;
		}
		long share = ONE_EVENT + frame.size();
		for (;;) {
			long current = this.usage;
			if (fits(current, frame.size())) {
				if (USAGE.compareAndSet(this, current, current + share)) {
					break;
				}
				continue;
			}
			switch (this.settings.overflowPolicy()) {
				case DROP_NEWEST -> {
					countDropped(frame, DropReason.QUEUE_FULL);
					return OfferResult.DROPPED;
				}
				case DROP_OLDEST -> {
					SseFrame oldest = this.queue.poll();
					if (oldest != null) {
						release(oldest);
						countDropped(oldest, DropReason.QUEUE_FULL);
					}
					else {
						Thread.onSpinWait(); // reserved by an offer that has not enqueued yet
					}
				}
				case DISCONNECT -> {
					countDropped(frame, DropReason.QUEUE_FULL);
					close(CloseReason.SLOW);
					return OfferResult.CLOSED;
				}
			}
		}
		this.queue.offer(frame);
		scheduleDrain();
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

	private void release(SseFrame frame) {
		USAGE.addAndGet(this, -(ONE_EVENT + frame.size()));
	}

	private void countDropped(SseFrame frame, DropReason reason) {
		if (frame.isEvent()) {
			DROPPED.incrementAndGet(this);
			this.counters.recordDropped(reason, 1);
		}
	}

	/**
	 * End the stream gracefully: write what is queued, then the final frame (typically a
	 * {@code retry:} hint), then complete the response.
	 * @param reason why
	 * @param finalFrame the last frame written
	 * @return {@code true} if this call ended an open stream
	 */
	public boolean end(CloseReason reason, SseFrame finalFrame) {
		if (this.state != OPEN) {
			return false;
		}
		// Enqueued before the state change so that the drainer cannot finish without it.
		USAGE.addAndGet(this, ONE_EVENT + finalFrame.size());
		this.queue.offer(finalFrame);
		if (!STATE.compareAndSet(this, OPEN, ENDING)) {
			scheduleDrain(); // the stream closed meanwhile; the drainer discards the frame
			return false;
		}
		announceClosing(reason);
		scheduleDrain();
		return true;
	}

	/**
	 * Close the stream now: discard what is queued (counted as dropped) and complete the
	 * response. Also turns a graceful {@link #end} into an immediate close.
	 * @param reason why
	 * @return {@code true} if this call closed an open stream
	 */
	public boolean close(CloseReason reason) {
		for (;;) {
			int current = this.state;
			if (current == CLOSING || current == CLOSED) {
				return false;
			}
			if (STATE.compareAndSet(this, current, CLOSING)) {
				if (current == OPEN) {
					announceClosing(reason);
				}
				// Free the queue now: the drainer may be blocked in a write to this very client.
				discardQueue();
				scheduleDrain();
				return current == OPEN;
			}
		}
	}

	/**
	 * The transport ended on its own (the client went away, the container completed the
	 * response or timed it out): close without touching the transport again.
	 * @param reason why
	 */
	public void transportClosed(CloseReason reason) {
		this.transportEnded = true;
		this.transportConfirmed = true;
		close(reason);
		if (this.state == CLOSED) {
			release(); // the drainer finished before the container confirmed
		}
	}

	private void announceClosing(CloseReason reason) {
		this.closeReason = reason;
		this.owner.connectionClosing(this, reason);
	}

	/**
	 * Let the drainer start: write the preamble, then whatever was queued meanwhile.
	 * @param preamble frames written before any queued frame
	 */
	void start(ArrayDeque<SseFrame> preamble) {
		this.preamble = preamble;
		DRAIN.set(this, SCHEDULED);
		submit();
	}

	/**
	 * A non-blocking transport can take writes again (see {@link SseTransport#isReady()}):
	 * resume draining. Safe from any thread.
	 */
	public void writePossible() {
		this.writeSignalled = true;
		this.awaitingWritable = false;
		scheduleDrain();
	}

	private void scheduleDrain() {
		if (this.drainStatus == IDLE && DRAIN.compareAndSet(this, IDLE, SCHEDULED)) {
			submit();
		}
	}

	private void submit() {
		try {
			this.writer.execute(this.drainTask);
		}
		catch (RejectedExecutionException ex) {
			// The writers are shut down: nothing will write again.
			STATE.set(this, CLOSING);
			discardQueued();
			finish();
			DRAIN.set(this, IDLE);
		}
	}

	private void drain() {
		try {
			int current = this.state;
			if (current == CLOSED) {
				discardQueued();
			}
			else if (current == CLOSING) {
				discardQueued();
				finish();
			}
			else if (writeBatch() && this.state == ENDING && this.queue.isEmpty() && preambleDone()
					&& transportReady()) {
				finish(); // everything, the final frame included, has left
			}
		}
		catch (RuntimeException | Error ex) {
			logger.warn("Unexpected error while writing to SSE client " + this.clientId, ex);
			close(CloseReason.ERROR);
		}
		if (hasWork(true)) {
			submit();
			return;
		}
		DRAIN.set(this, IDLE);
		// Re-check after going idle: an offer that saw SCHEDULED did not submit (lost wake-up).
		if (hasWork(false) && DRAIN.compareAndSet(this, IDLE, SCHEDULED)) {
			submit();
		}
	}

	private boolean hasWork(boolean includePreamble) {
		int current = this.state;
		if (current == CLOSED) {
			return !this.queue.isEmpty();
		}
		if (current == CLOSING || this.writeSignalled) {
			return true; // a signal may have come while this drainer was finishing: the transport may need a flush
		}
		if (this.awaitingWritable) {
			return false; // writePossible() schedules the next drain
		}
		return current == ENDING || !this.queue.isEmpty() || (includePreamble && !preambleDone());
	}

	/**
	 * Whether the transport takes a write now. Raises {@code awaitingWritable} before asking,
	 * so that a {@link #writePossible()} racing with this drainer is never lost.
	 */
	private boolean transportReady() {
		this.writeSignalled = false;
		this.awaitingWritable = true;
		boolean ready;
		try {
			ready = this.transport.isReady();
		}
		catch (Exception ex) {
			clientGone(ex, 0);
			return false;
		}
		if (!ready) {
			if (this.unwritableSinceNanos == 0) {
				this.unwritableSinceNanos = System.nanoTime();
			}
			return false;
		}
		this.awaitingWritable = false;
		this.unwritableSinceNanos = 0;
		return true;
	}

	private boolean preambleDone() {
		ArrayDeque<SseFrame> frames = this.preamble;
		return frames == null || frames.isEmpty();
	}

	/** Write one batch; returns whether the transport was ready (and the stream still writable). */
	private boolean writeBatch() {
		if (!transportReady()) {
			return false;
		}
		long queued = this.usage;
		LongConsumer latency = this.counters.latencyRecorder();
		Batch batch = new Batch(this.settings.maxBatchBytes(), queued & BYTES_MASK, latency,
				(int) (queued >>> EVENT_SHIFT));
		ArrayDeque<SseFrame> frames = this.preamble;
		if (frames != null) {
			SseFrame frame;
			while (!batch.isFull() && (frame = frames.pollFirst()) != null) {
				batch.add(frame);
				batch.replayed += frame.isEvent() ? 1 : 0;
			}
			if (frames.isEmpty()) {
				this.preamble = null;
			}
		}
		if (this.preamble == null) {
			SseFrame frame;
			while (!batch.isFull() && (frame = this.queue.poll()) != null) {
				release(frame);
				batch.addLive(frame);
			}
		}
		if (batch.isEmpty()) {
			return true;
		}
		this.writeStartedNanos = System.nanoTime();
		try {
			this.transport.write(batch.payload());
		}
		catch (Exception ex) {
			clientGone(ex, batch.live);
			return false;
		}
		finally {
			this.writeStartedNanos = 0;
			this.lastWriteNanos = System.nanoTime();
			if (COMPENSATED.compareAndSet(this, 1, 0)) {
				this.writer.writerUnblocked();
			}
		}
		this.deliveredEvents += batch.live;
		this.counters.recordDelivered(batch.live);
		this.counters.recordReplayed(batch.replayed);
		if (latency != null && batch.live > 0) {
			batch.recordLatencies(this.lastWriteNanos, latency);
		}
		return true;
	}

	/** A write or readiness check failed: the client is gone; count what was lost and close. */
	private void clientGone(Exception ex, int lostEvents) {
		if (logger.isDebugEnabled()) {
			logger.debug("SSE client " + this.clientId + " is gone: " + ex);
		}
		if (lostEvents > 0) {
			DROPPED.addAndGet(this, lostEvents);
			this.counters.recordDropped(DropReason.DISCONNECTED, lostEvents);
		}
		// Still complete the transport: a container does not always end the request by
		// itself after a failed write, and a request left open holds up graceful shutdown.
		close(CloseReason.CLIENT);
	}

	private void discardQueued() {
		this.preamble = null;
		discardQueue();
	}

	/** Drop every queued frame, counting events as dropped. Safe from any thread: each poll takes a distinct frame. */
	private void discardQueue() {
		int events = 0;
		SseFrame frame;
		while ((frame = this.queue.poll()) != null) {
			release(frame);
			events += frame.isEvent() ? 1 : 0;
		}
		if (events > 0) {
			DROPPED.addAndGet(this, events);
			this.counters.recordDropped(DropReason.DISCONNECTED, events);
		}
	}

	private void finish() {
		if (STATE.getAndSet(this, CLOSED) == CLOSED) {
			return;
		}
		discardQueued();
		if (!this.transportEnded) {
			this.transportEnded = true;
			try {
				this.transport.complete();
			}
			catch (RuntimeException ex) {
				logger.debug("Could not complete the SSE response of client " + this.clientId, ex);
			}
		}
		if (this.transportConfirmed || !this.transport.confirmsCompletion()) {
			release();
		}
	}

	/** Tell the owner, once, that the stream is gone (completed, and confirmed if the transport confirms). */
	private void release() {
		if (RELEASED.compareAndSet(this, 0, 1)) {
			this.owner.connectionClosed(this);
		}
	}

	/**
	 * Periodic check by the maintenance thread of a write in progress: report a writer
	 * blocked longer than {@code blockedNanos} so the pool can replace it, and close the
	 * stream as slow once the write has been blocked, or a non-blocking transport has not
	 * been ready, for longer than {@code timeoutNanos}.
	 * @param now the current {@link System#nanoTime()}
	 * @param blockedNanos when a write counts as blocked
	 * @param timeoutNanos when a blocked write closes the stream
	 */
	void checkWrite(long now, long blockedNanos, long timeoutNanos) {
		long unwritable = this.unwritableSinceNanos;
		if (unwritable != 0 && now - unwritable >= timeoutNanos && close(CloseReason.SLOW) && logger.isDebugEnabled()) {
			logger.debug("Closing SSE client " + this.clientId + ": it has taken no data for "
					+ ((now - unwritable) / 1_000_000) + " ms");
		}
		long started = this.writeStartedNanos;
		if (started == 0) {
			return;
		}
		long elapsed = now - started;
		if (elapsed >= blockedNanos && COMPENSATED.compareAndSet(this, 0, 1)) {
			this.writer.writerBlocked();
			// The write may have returned before we claimed it; then undo here (the writer saw 0).
			if (this.writeStartedNanos != started && COMPENSATED.compareAndSet(this, 1, 0)) {
				this.writer.writerUnblocked();
			}
		}
		if (elapsed >= timeoutNanos && close(CloseReason.SLOW) && logger.isDebugEnabled()) {
			logger.debug("Closing SSE client " + this.clientId + ": a write has been blocked for "
					+ (elapsed / 1_000_000) + " ms");
		}
	}

	/**
	 * Whether nothing has been written or queued since the given time.
	 * @param cutoffNanos a {@link System#nanoTime()} value
	 * @return {@code true} if the stream has been quiet since then
	 */
	boolean isQuietSince(long cutoffNanos) {
		return this.state == OPEN && this.usage == 0 && this.writeStartedNanos == 0 && this.unwritableSinceNanos == 0
				&& this.lastWriteNanos - cutoffNanos <= 0;
	}

	/**
	 * The {@link System#nanoTime()} at which the stream reaches its maximum lifetime.
	 * @return the deadline
	 */
	long deadlineNanos() {
		return this.deadlineNanos;
	}

	/**
	 * The server-generated id of this stream.
	 * @return the client id
	 */
	public String clientId() {
		return this.clientId;
	}

	/**
	 * The authenticated user, if any.
	 * @return the user id or {@code null}
	 */
	public @Nullable String userId() {
		return this.userId;
	}

	/**
	 * The HTTP session the stream was opened in, if any.
	 * @return the session id or {@code null}
	 */
	public @Nullable String sessionId() {
		return this.sessionId;
	}

	/**
	 * Every topic the stream receives, reserved ones included.
	 * @return the topics
	 */
	public Set<String> topics() {
		return this.topics;
	}

	/**
	 * When the stream was opened.
	 * @return epoch milliseconds
	 */
	public long openedAtMillis() {
		return this.openedAtMillis;
	}

	/**
	 * Events and protocol frames waiting to be written.
	 * @return the count
	 */
	public int queuedFrames() {
		return (int) (this.usage >>> EVENT_SHIFT);
	}

	/**
	 * Bytes waiting to be written.
	 * @return the byte count
	 */
	public long queuedBytes() {
		return this.usage & BYTES_MASK;
	}

	/**
	 * Live events written to this client.
	 * @return the count
	 */
	public long deliveredEvents() {
		return this.deliveredEvents;
	}

	/**
	 * Events meant for this client that it never received.
	 * @return the count
	 */
	public long droppedEvents() {
		return this.droppedEvents;
	}

	/**
	 * Whether the stream still accepts events.
	 * @return {@code true} until it starts closing
	 */
	public boolean isOpen() {
		return this.state == OPEN;
	}

	/**
	 * Why the stream closed.
	 * @return the reason, or {@code null} while open
	 */
	public @Nullable CloseReason closeReason() {
		return this.closeReason;
	}

	@Override
	public String toString() {
		return "SseConnection[" + this.clientId + ", user=" + this.userId + ", topics=" + this.topics + "]";
	}

	/**
	 * The frames of one write. A write of a single frame passes its bytes as they are; from
	 * the second frame on, frames are copied straight into one array, sized up front from
	 * what was queued, so they leave in one chunk with one copy and no list.
	 */
	private static final class Batch {

		private final int maxBytes;

		private final int expectedBytes;

		private @Nullable SseFrame single;

		private byte @Nullable [] buffer;

		private int bytes;

		/** Creation times of the live events, kept only when latencies are recorded. */
		private final long @Nullable [] createdNanos;

		private int created;

		int live;

		int replayed;

		Batch(int maxBytes, long queuedBytes, @Nullable LongConsumer latency, int queuedFrames) {
			this.maxBytes = maxBytes;
			this.expectedBytes = (int) Math.min(queuedBytes, maxBytes);
			this.createdNanos = (latency != null) ? new long[Math.max(1, queuedFrames)] : null;
		}

		void add(SseFrame frame) {
			int size = frame.size();
			if (this.single == null && this.buffer == null) {
				this.single = frame;
			}
			else {
				if (this.buffer == null) {
					this.buffer = new byte[Math.max(this.expectedBytes, this.bytes + size)];
					System.arraycopy(this.single.bytes(), 0, this.buffer, 0, this.bytes);
					this.single = null;
				}
				else if (this.bytes + size > this.buffer.length) {
					this.buffer = Arrays.copyOf(this.buffer, Math.max(this.bytes + size, this.buffer.length * 2));
				}
				System.arraycopy(frame.bytes(), 0, this.buffer, this.bytes, size);
			}
			this.bytes += size;
		}

		void addLive(SseFrame frame) {
			add(frame);
			if (frame.isEvent()) {
				this.live++;
				long[] times = this.createdNanos;
				if (times != null && this.created < times.length) {
					times[this.created++] = frame.createdNanos();
				}
			}
		}

		void recordLatencies(long flushedNanos, LongConsumer recorder) {
			long[] times = this.createdNanos;
			for (int i = 0; times != null && i < this.created; i++) {
				recorder.accept(flushedNanos - times[i]);
			}
		}

		boolean isFull() {
			return this.bytes >= this.maxBytes;
		}

		boolean isEmpty() {
			return this.bytes == 0 && this.single == null;
		}

		byte[] payload() {
			if (this.buffer == null) {
				return this.single.bytes();
			}
			return (this.bytes == this.buffer.length) ? this.buffer : Arrays.copyOf(this.buffer, this.bytes);
		}

	}

	/**
	 * Who is told about a connection's lifecycle.
	 */
	interface Owner {

		/**
		 * The stream stopped accepting events; called once, on the thread that closed it.
		 * @param connection the connection
		 * @param reason why
		 */
		void connectionClosing(SseConnection connection, CloseReason reason);

		/**
		 * The response is complete (and, for a transport that confirms completion, the
		 * container has confirmed it); called once.
		 * @param connection the connection
		 */
		void connectionClosed(SseConnection connection);

	}

}
