package io.github.ssestarter.engine;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.ssestarter.encode.SseFrame;
import io.github.ssestarter.store.HistoryPage;
import io.github.ssestarter.store.StoredEvent;

/**
 * One client's stream: what it still has to read from the history, a bounded queue of
 * live frames, and the single drainer that writes them.
 *
 * <h2>Concurrency design</h2>
 * <p>
 * <b>Threads.</b> Any thread may {@link #offer} (in practice the dispatcher, one event at
 * a time under its lock, and the maintenance thread's heartbeats). At most one drain task
 * runs at a time and is the only code that touches the transport, the history range and
 * the queue's head. Container threads (the client went away, the request timed out), the
 * maintenance thread (slow writes, maximum lifetime) and application threads (evictions)
 * may {@link #close} or {@link #end}. History pages arrive on a reader thread
 * ({@link #pageArrived}), or inline for an in-memory history.
 * <p>
 * <b>One operation for replay and catch-up.</b> A stream's position is {@code cursor}:
 * the id of the last event it has been given. "Deliver from the history after the cursor
 * up to a position P, then the live queue" is how a stream that resumes with
 * {@code Last-Event-ID} starts (P: where it joined the live flow) and how a stream that
 * fell behind recovers: under the default {@link OverflowPolicy#CATCH_UP} its queue stops
 * taking live events when full ({@link SseFrameQueue}); once the drainer has written what
 * was queued it rejoins the live flow under the dispatcher's lock, which yields P, and
 * reads {@code (cursor, P]} from the history page by page (each page bounded by count and
 * bytes) before the events queued after P. If the history no longer holds the next event,
 * the stream gets one {@code sse.reset} (with the id P) at exactly that place.
 * <p>
 * <b>One drainer, no lost wake-up.</b> The drain status is {@code HELD} while the stream is
 * being opened (frames queue up behind the preamble), then {@code IDLE} or
 * {@code SCHEDULED}. Only the thread that moves it from {@code IDLE} to {@code SCHEDULED}
 * submits a drain task, so there is never a second drainer. A drainer with nothing left to
 * do sets {@code IDLE} and then looks again: an offer that enqueued just before saw
 * {@code SCHEDULED} and submitted nothing, and without this re-check its frame would wait
 * for the next event. A drainer that still has work resubmits itself instead of looping,
 * so a busy client cannot monopolise a writer thread. The offer that makes a stream fall
 * behind wakes the drainer too: it may have emptied the queue and gone idle since the
 * offer found it full, and only a drainer can rejoin the live flow.
 * <p>
 * <b>Asynchronous inputs.</b> Two things can wake a drainer besides an offer, and each
 * leaves a mark that counts as work until a drainer has seen it, so one that arrives
 * while a drainer is finishing (and so schedules nothing) is never lost: the transport's
 * {@link #writePossible()} ({@code writeSignalled}; before each write the drainer raises
 * {@code awaitingWritable} and asks {@link SseTransport#isReady()}, and stops without
 * resubmitting on {@code false}), and a history page ({@code arrivedPage}; while a page is
 * being read the drainer stops the same way). A stream that stays unwritable longer than
 * the write timeout is closed as slow, like a blocked write.
 * <p>
 * <b>Lifecycle.</b> {@code OPEN}, then exactly once either {@code ENDING} ({@link #end}:
 * write what was queued and is contiguous with what was written, then a final frame,
 * then complete) or {@code CLOSING} ({@link #close}: discard what is queued, then
 * complete); the owner is told at that transition so it unregisters the connection and no
 * new event is offered. Only the drainer discards, so a close never opens a gap in what
 * the client receives: it ends after the last frame written, and a reconnect with
 * {@code Last-Event-ID} resumes exactly there. The drainer completes the transport and
 * moves to {@code CLOSED}.
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

	private static final AtomicIntegerFieldUpdater<SseConnection> DRAIN = AtomicIntegerFieldUpdater
		.newUpdater(SseConnection.class, "drainStatus");

	private static final AtomicIntegerFieldUpdater<SseConnection> STATE = AtomicIntegerFieldUpdater
		.newUpdater(SseConnection.class, "state");

	private static final AtomicIntegerFieldUpdater<SseConnection> COMPENSATED = AtomicIntegerFieldUpdater
		.newUpdater(SseConnection.class, "compensated");

	private static final AtomicLongFieldUpdater<SseConnection> LOST = AtomicLongFieldUpdater
		.newUpdater(SseConnection.class, "lostEvents");

	private static final AtomicIntegerFieldUpdater<SseConnection> RELEASED = AtomicIntegerFieldUpdater
		.newUpdater(SseConnection.class, "released");

	private static final Consumer<CloseReason> CLOSING_ANNOUNCED = (reason) -> {
	};

	@SuppressWarnings("rawtypes")
	private static final AtomicReferenceFieldUpdater<SseConnection, Consumer> CLOSING_LISTENER = AtomicReferenceFieldUpdater
		.newUpdater(SseConnection.class, Consumer.class, "closingListener");

	private static final AtomicReferenceFieldUpdater<SseConnection, SseFrame> FINAL_FRAME = AtomicReferenceFieldUpdater
		.newUpdater(SseConnection.class, SseFrame.class, "finalFrame");

	private final String clientId;

	private final @Nullable String userId;

	private final @Nullable String sessionId;

	private final Set<String> topics;

	private final long openedAtMillis;

	private final Deadline deadline;

	private final SseTransport transport;

	private final SseConnectionSettings settings;

	private final SseWriterExecutor writer;

	private final SseCounters counters;

	private final Owner owner;

	private final SseFrameQueue queue;

	private final Runnable drainTask = this::drain;

	private volatile int drainStatus = HELD;

	private volatile int state = OPEN;

	private volatile int compensated;

	/** Queued events discarded because the stream closed (drop-policy losses are the queue's). */
	private volatile long lostEvents;

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

	/** Told once when the stream stops accepting events; {@link #CLOSING_ANNOUNCED} after that. */
	private volatile @Nullable Consumer<CloseReason> closingListener;

	/** Whether an ending stream still writes its history range and queue (set before {@code ENDING}). */
	private volatile boolean historyBeforeEnd;

	/** The last frame of a stream that {@link #end}s; set once, before the state becomes {@code ENDING}. */
	private volatile @Nullable SseFrame finalFrame;

	/** A history page delivered by the reader and not yet taken by the drainer. */
	private volatile @Nullable HistoryPage arrivedPage;

	/** Used by the dispatcher only, under its lock, to deliver a multi-topic event once. */
	long dispatchStamp;

	// ---- touched by the drainer only (and by start(), before the first drain) ------------

	/** Protocol frames written first: opening comment, retry hint, connection notice. */
	private @Nullable ArrayDeque<SseFrame> preamble;

	/** The id of the last event given to the client (written, or skipped by a reset). */
	private @Nullable String cursor;

	/** What the stream still has to read from the history before its queue, or {@code null}. */
	private @Nullable HistoryRange range;

	/** The page being written, and the index of its next event. */
	private @Nullable HistoryPage page;

	private int pageIndex;

	/** A page has been asked for and has not arrived yet. */
	private boolean pageRequested;

	/** The final frame has been written: once it has left, the stream completes. */
	private boolean finalWritten;

	SseConnection(String clientId, @Nullable String userId, @Nullable String sessionId, Set<String> topics,
			Deadline deadline, SseTransport transport, SseConnectionSettings settings, SseWriterExecutor writer,
			SseCounters counters, Owner owner) {
		this.clientId = clientId;
		this.userId = userId;
		this.sessionId = sessionId;
		this.topics = topics;
		this.openedAtMillis = System.currentTimeMillis();
		this.deadline = deadline;
		this.transport = transport;
		this.settings = settings;
		this.writer = writer;
		this.counters = counters;
		this.owner = owner;
		this.queue = new SseFrameQueue(settings, counters, owner);
		this.lastWriteNanos = System.nanoTime();
	}

	/**
	 * Queue a frame for this client. Never blocks and never throws.
	 * @param frame the frame
	 * @return whether it was queued, deferred to the history (the stream is catching up),
	 * dropped by the overflow policy, or refused because the stream is closing
	 */
	public OfferResult offer(SseFrame frame) {
		if (this.state != OPEN) {
			return OfferResult.CLOSED;
		}
		boolean wasLagging = this.queue.isLagging();
		OfferResult result = this.queue.offer(frame);
		if (result == OfferResult.ACCEPTED) {
			scheduleDrain();
		}
		else if (result == OfferResult.DEFERRED && !wasLagging) {
			// The stream just fell behind. Its drainer may have emptied the queue and gone idle
			// since this offer found it full: it must run again to rejoin, or the stream would
			// wait (deferring every event, without heartbeats) until something else woke it.
			scheduleDrain();
		}
		else if (result == OfferResult.DROPPED && frame.isEvent()
				&& this.settings.overflowPolicy() == OverflowPolicy.DISCONNECT) {
			close(CloseReason.SLOW);
			return OfferResult.CLOSED;
		}
		return result;
	}

	/**
	 * End the stream gracefully: write what is queued (unless the stream is still catching
	 * up, when the client resumes from the last event written instead), then the final
	 * frame (typically a {@code retry:} hint), then complete the response.
	 * @param reason why
	 * @param finalFrame the last frame written
	 * @return {@code true} if this call ended an open stream
	 */
	public boolean end(CloseReason reason, SseFrame finalFrame) {
		return end(reason, finalFrame, false);
	}

	/**
	 * End the stream gracefully after everything it was given: unlike {@link #end}, a
	 * stream still reading its history range (it resumed, or catches up) finishes it and
	 * its queue first. For an end the application asks for right after sending events.
	 * @param reason why
	 * @param finalFrame the last frame written
	 * @return {@code true} if this call ended an open stream
	 */
	public boolean endAfterEverything(CloseReason reason, SseFrame finalFrame) {
		return end(reason, finalFrame, true);
	}

	private boolean end(CloseReason reason, SseFrame finalFrame, boolean afterEverything) {
		// The final frame is claimed first, so that of two racing ends the one whose frame is
		// written is the one whose reason is recorded.
		if (this.state != OPEN || !FINAL_FRAME.compareAndSet(this, null, finalFrame)) {
			return false;
		}
		this.historyBeforeEnd = afterEverything; // by the one end that claimed the frame
		if (!STATE.compareAndSet(this, OPEN, ENDING)) {
			return false; // closed meanwhile
		}
		announceClosing(reason);
		scheduleDrain();
		return true;
	}

	/**
	 * Close the stream now: discard what is queued (counted as dropped) and complete the
	 * response. Also turns a graceful {@link #end} into an immediate close. The client has
	 * received a contiguous run of events up to the last one written.
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
				scheduleDrain(); // the drainer discards the queue and completes the transport
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

	@SuppressWarnings("unchecked")
	private void announceClosing(CloseReason reason) {
		this.closeReason = reason;
		this.owner.connectionClosing(this, reason);
		Consumer<CloseReason> listener = CLOSING_LISTENER.getAndSet(this, CLOSING_ANNOUNCED);
		if (listener != null) {
			listener.accept(reason);
		}
	}

	/**
	 * Be told, once, when the stream stops accepting events (with why): at once if it
	 * already has. The listener runs on the thread that closes the stream and must not
	 * block.
	 * @param listener the listener
	 * @throws IllegalStateException if a listener was set already
	 */
	public void whenClosing(Consumer<CloseReason> listener) {
		if (!CLOSING_LISTENER.compareAndSet(this, null, listener)) {
			if (this.closingListener != CLOSING_ANNOUNCED) {
				throw new IllegalStateException("The stream already has a closing listener");
			}
			CloseReason reason = this.closeReason;
			listener.accept((reason != null) ? reason : CloseReason.ERROR);
		}
	}

	/**
	 * Let the drainer start: write the preamble, then what the client missed before it
	 * connected (if it resumes), then whatever was queued meanwhile.
	 * @param preamble protocol frames written first
	 * @param position the id of the last event delivered live before the stream joined
	 * @param resumeAfter the id the client resumes after, or {@code null} to start live
	 */
	void start(ArrayDeque<SseFrame> preamble, String position, @Nullable String resumeAfter) {
		this.preamble = preamble;
		this.cursor = (resumeAfter != null) ? resumeAfter : position;
		if (resumeAfter != null) {
			this.range = new HistoryRange(position, false);
		}
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

	/**
	 * The page of history asked for through {@link Owner#readHistory} has been read.
	 * Safe from any thread.
	 * @param page the page
	 */
	void pageArrived(HistoryPage page) {
		this.arrivedPage = page;
		scheduleDrain();
	}

	/** The queue may take live events again; called by the dispatcher under its lock. */
	void rejoin() {
		this.queue.rejoin();
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
			else if (writeBatch() && this.finalWritten && transportReady()) {
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
		// Re-check after going idle: an offer, a writability signal or a page that came
		// while this drainer was finishing saw SCHEDULED and submitted nothing.
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
		if (current == ENDING || (includePreamble && !preambleDone())) {
			return true;
		}
		if (this.range != null) {
			return this.page != null || this.arrivedPage != null || !this.pageRequested;
		}
		return !this.queue.isEmpty() || this.queue.isLagging();
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
		LongConsumer latency = this.counters.latencyRecorder();
		WriteBatch batch = WriteBatch.take(this.settings.maxBatchBytes(), this.queue.queuedBytes(), latency != null,
				this.queue.queuedFrames());
		try {
			fill(batch, this.state == ENDING);
			if (batch.isEmpty()) {
				return true;
			}
			this.writeStartedNanos = System.nanoTime();
			try {
				batch.writeTo(this.transport);
			}
			catch (Exception ex) {
				clientGone(ex, batch.events());
				return false;
			}
			finally {
				this.writeStartedNanos = 0;
				this.lastWriteNanos = System.nanoTime();
				if (COMPENSATED.compareAndSet(this, 1, 0)) {
					this.writer.writerUnblocked();
				}
			}
			this.deliveredEvents += batch.events();
			this.counters.recordDelivered(batch.live);
			this.counters.recordReplayed(batch.replayed);
			this.counters.recordCaughtUp(batch.caughtUp);
			if (latency != null && batch.live > 0) {
				batch.recordLatencies(this.lastWriteNanos, latency);
			}
			return true;
		}
		finally {
			batch.release();
		}
	}

	/**
	 * Gather the next frames in the order the client must receive them: the preamble, the
	 * history range, the queue; rejoining the live flow when the queue is empty after
	 * catching up; and, when ending, the final frame.
	 */
	private void fill(WriteBatch batch, boolean ending) {
		if (!addPreamble(batch)) {
			return;
		}
		while (!this.finalWritten) {
			if (ending && this.range != null && !this.historyBeforeEnd) {
				// Still behind: what is queued does not follow what was written. The client
				// resumes from the cursor when it reconnects.
				discardQueued();
			}
			else if (this.range != null) {
				if (!addHistory(batch)) {
					return; // the batch is full, or the next page is being read
				}
				continue;
			}
			else if (!addQueued(batch)) {
				return; // the batch is full
			}
			else if (!ending && this.queue.isLagging()) {
				String position = this.owner.rejoin(this);
				if (position != null && !position.equals(this.cursor)) {
					this.range = new HistoryRange(position, true);
				}
				continue;
			}
			if (ending) {
				batch.add(this.finalFrame);
				this.finalWritten = true;
			}
			return;
		}
	}

	private boolean addPreamble(WriteBatch batch) {
		ArrayDeque<SseFrame> frames = this.preamble;
		if (frames == null) {
			return true;
		}
		SseFrame frame;
		while (!batch.isFull() && (frame = frames.pollFirst()) != null) {
			batch.add(frame);
		}
		if (frames.isEmpty()) {
			this.preamble = null;
			return true;
		}
		return false;
	}

	/** Add queued frames; returns {@code false} if the batch filled up before the queue was empty. */
	private boolean addQueued(WriteBatch batch) {
		this.queue.beginBatch();
		try {
			SseFrame notice = this.queue.takeGapNotice(false);
			if (notice != null) {
				batch.add(notice);
			}
			SseFrame frame;
			while (!batch.isFull()) {
				if ((frame = this.queue.poll()) == null) {
					notice = this.queue.takeGapNotice(true);
					if (notice != null) {
						batch.add(notice);
					}
					return true;
				}
				batch.addLive(frame);
				if (frame.id() != null) {
					this.cursor = frame.id();
				}
			}
			return this.queue.isEmpty();
		}
		finally {
			this.queue.endBatch();
		}
	}

	/**
	 * Add events of the history range, reading pages as needed; returns {@code false} if
	 * the batch filled up or the next page is still being read, {@code true} once the range
	 * is done.
	 */
	private boolean addHistory(WriteBatch batch) {
		HistoryRange current = this.range;
		for (;;) {
			HistoryPage taken = this.page;
			if (taken == null) {
				taken = nextPage(current);
				if (taken == null) {
					return false;
				}
				if (taken.reset() == HistoryPage.Reset.BEHIND) {
					this.owner.nodeBehind(this); // ends the stream: what is queued is discarded
					return false;
				}
				if (taken.reset() != null) {
					// A complete reset skips to the end of the range; a partial one to where the
					// history goes on, which is then read.
					String resumeAfter = taken.complete() ? current.upTo() : taken.next();
					batch.add(this.owner.resetNotice(current.resetReason(taken.reset()), this.cursor, 0,
							resumeAfter));
					this.cursor = resumeAfter;
					if (!taken.complete()) {
						continue;
					}
					this.range = null;
					return true;
				}
				this.page = taken;
				this.pageIndex = 0;
			}
			List<StoredEvent> events = taken.events();
			while (this.pageIndex < events.size()) {
				if (batch.isFull()) {
					return false;
				}
				StoredEvent event = events.get(this.pageIndex++);
				batch.addHistory(event.frame(), current.catchUp());
				this.cursor = event.id();
			}
			this.page = null;
			this.cursor = taken.next();
			if (taken.complete()) {
				this.range = null;
				return true;
			}
		}
	}

	/** The next page if it is here (asking for it first if nobody has), else {@code null}. */
	private @Nullable HistoryPage nextPage(HistoryRange current) {
		if (!this.pageRequested) {
			this.pageRequested = true;
			this.owner.readHistory(this, this.cursor, current.upTo());
		}
		HistoryPage arrived = this.arrivedPage;
		if (arrived != null) {
			this.arrivedPage = null;
			this.pageRequested = false;
		}
		return arrived;
	}

	/** A write or readiness check failed: the client is gone; count what was lost and close. */
	private void clientGone(Exception ex, int lostEvents) {
		if (logger.isDebugEnabled()) {
			logger.debug("SSE client " + this.clientId + " is gone: " + ex);
		}
		countLost(lostEvents);
		// Still complete the transport: a container does not always end the request by
		// itself after a failed write, and a request left open holds up graceful shutdown.
		close(CloseReason.CLIENT);
	}

	private void countLost(int events) {
		if (events > 0) {
			LOST.addAndGet(this, events);
			this.counters.recordDropped(DropReason.DISCONNECTED, events);
		}
	}

	/** Drop what is left to write (drainer only, or once no drainer can run again). */
	private void discardQueued() {
		this.preamble = null;
		this.range = null;
		this.page = null;
		countLost(this.queue.discard());
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
		return this.state == OPEN && this.queue.isIdle() && this.writeStartedNanos == 0
				&& this.unwritableSinceNanos == 0 && this.lastWriteNanos - cutoffNanos <= 0;
	}

	/**
	 * When the stream ends, and why: its maximum lifetime or its credential's expiry.
	 * @return the deadline
	 */
	Deadline deadline() {
		return this.deadline;
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
		return this.queue.queuedFrames();
	}

	/**
	 * Bytes waiting to be written.
	 * @return the byte count
	 */
	public long queuedBytes() {
		return this.queue.queuedBytes();
	}

	/**
	 * Events written to this client, live and from the history.
	 * @return the count
	 */
	public long deliveredEvents() {
		return this.deliveredEvents;
	}

	/**
	 * Events meant for this client that it was not given: discarded by a drop policy
	 * (and announced), or queued when the stream closed.
	 * @return the count
	 */
	public long droppedEvents() {
		return this.queue.droppedEvents() + this.lostEvents;
	}

	/**
	 * Whether the stream fell behind and is catching up from the history.
	 * @return {@code true} while live events are deferred to the history
	 * @since 0.2.0
	 */
	public boolean isCatchingUp() {
		return this.queue.isLagging();
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

		/**
		 * The stream has written everything it queued before it fell behind: let it take
		 * live events again, under the dispatcher's lock, unless something was queued
		 * meanwhile.
		 * @param connection the connection
		 * @return the id of the last event delivered live before it rejoined (the stream
		 * reads up to it from the history), or {@code null} if its queue is not empty yet
		 */
		@Nullable String rejoin(SseConnection connection);

		/**
		 * Read the next page of the history for the stream and hand it to
		 * {@link SseConnection#pageArrived}, now or later, on any thread.
		 * @param connection the connection
		 * @param afterId the last id the stream has
		 * @param upToId the end of the range
		 */
		void readHistory(SseConnection connection, String afterId, String upToId);

		/**
		 * An {@code sse.reset} notice, counted by reason.
		 * @param reason why
		 * @param lastEventId the last event the client was given, if the notice says it
		 * @param missed how many events the client missed, if known (0 otherwise)
		 * @param id the id the client resumes after once it has the notice, or {@code null}
		 * @return the frame
		 */
		SseFrame resetNotice(ResetReason reason, @Nullable String lastEventId, long missed, @Nullable String id);

		/**
		 * The stream resumes after an event this node has not delivered yet: end it so that
		 * the client reconnects, keeping its position.
		 * @param connection the connection
		 */
		void nodeBehind(SseConnection connection);

	}

	/**
	 * A part of the history a stream reads before its queue.
	 *
	 * @param upTo the last id of the range
	 * @param catchUp whether the stream fell behind (rather than resumed with {@code Last-Event-ID})
	 */
	private record HistoryRange(String upTo, boolean catchUp) {

		ResetReason resetReason(HistoryPage.Reset reset) {
			return switch (reset) {
				case UNKNOWN -> ResetReason.UNKNOWN;
				case EXPIRED -> this.catchUp ? ResetReason.LAGGED : ResetReason.EXPIRED;
				case UNAVAILABLE, BEHIND -> ResetReason.UNAVAILABLE;
			};
		}

	}

	/**
	 * When a stream ends on its own.
	 * @param nanos the {@link System#nanoTime()} at which it ends
	 * @param reason why: {@link CloseReason#TIMEOUT} (maximum lifetime) or
	 * {@link CloseReason#TOKEN_EXPIRED}
	 */
	record Deadline(long nanos, CloseReason reason) {
	}

}
