package io.github.ssestarter.redis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import io.github.ssestarter.store.OutgoingEvent;
import io.github.ssestarter.store.StoredEvent;

/**
 * Appends the events of concurrent publishers in batches, one Redis round trip per batch
 * instead of one per event (group commit), with a few batches in flight at once
 * (pipelined on the shared connection): a publisher queues its event; if fewer than
 * {@code maxInFlight} batches are being written and no batch has taken its event yet, it
 * takes everything queued (bounded by count and bytes) and writes it as one batch,
 * completing every publisher in it; otherwise it waits for the batch that takes its event.
 * A lone publisher writes at once, so batching adds no latency when there is no
 * contention, and a publisher never waits for a whole round trip of a batch it is not in
 * while the pipeline has room. Each leader writes one batch and hands over, so no
 * publisher is held up writing other publishers' events for long.
 * <p>
 * Batches in flight together are atomic each (one script call) and executed by Redis in
 * the order they reach it, so ids stay dense; events of concurrent publishers have no
 * order between them, and one thread's successive publishes are in order because each
 * returns only once its event is stored.
 */
final class BatchingAppender {

	private final Function<List<OutgoingEvent>, List<StoredEvent>> writer;

	private final int maxEvents;

	private final long maxBytes;

	private final int maxInFlight;

	private final Object lock = new Object();

	/** Guarded by {@link #lock}. */
	private final ArrayDeque<Pending> queue = new ArrayDeque<>();

	/** Batches being written; guarded by {@link #lock}. */
	private int inFlight;

	/**
	 * @param writer appends a batch atomically, returning the stored events in order, or
	 * throws (every event of the batch then fails); called by several threads at once
	 * @param maxEvents the most events in one batch
	 * @param maxBytes the most body bytes in one batch (plus at most one event)
	 * @param maxInFlight the most batches being written at once
	 */
	BatchingAppender(Function<List<OutgoingEvent>, List<StoredEvent>> writer, int maxEvents, long maxBytes,
			int maxInFlight) {
		this.writer = writer;
		this.maxEvents = maxEvents;
		this.maxBytes = maxBytes;
		this.maxInFlight = maxInFlight;
	}

	StoredEvent append(OutgoingEvent event) {
		Pending mine = new Pending(event);
		boolean interrupted = false;
		try {
			synchronized (this.lock) {
				this.queue.add(mine);
			}
			for (;;) {
				List<Pending> batch;
				synchronized (this.lock) {
					while (!mine.done && (mine.taken || this.inFlight >= this.maxInFlight)) {
						try {
							this.lock.wait();
						}
						catch (InterruptedException ex) {
							interrupted = true; // the event is queued: wait for its outcome anyway
						}
					}
					if (mine.done) {
						return mine.result();
					}
					this.inFlight++;
					batch = takeBatch();
				}
				write(batch);
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** Events waiting for a batch (for tests). */
	int queued() {
		synchronized (this.lock) {
			return this.queue.size();
		}
	}

	/** The oldest queued events, bounded by count and bytes. */
	private List<Pending> takeBatch() {
		List<Pending> batch = new ArrayList<>(Math.min(this.queue.size(), this.maxEvents));
		long bytes = 0;
		while (!this.queue.isEmpty() && batch.size() < this.maxEvents && bytes < this.maxBytes) {
			Pending next = this.queue.poll();
			next.taken = true;
			batch.add(next);
			bytes += next.event.encoded().size();
		}
		return batch;
	}

	private void write(List<Pending> batch) {
		List<StoredEvent> stored = null;
		RuntimeException failure = null;
		try {
			List<OutgoingEvent> events = new ArrayList<>(batch.size());
			for (Pending pending : batch) {
				events.add(pending.event);
			}
			stored = this.writer.apply(events);
		}
		catch (RuntimeException ex) {
			failure = ex;
		}
		catch (Error ex) {
			failure = new IllegalStateException("Could not append SSE events to Redis", ex);
		}
		synchronized (this.lock) {
			for (int i = 0; i < batch.size(); i++) {
				Pending pending = batch.get(i);
				pending.stored = (stored != null) ? stored.get(i) : null;
				pending.failure = failure;
				pending.done = true;
			}
			this.inFlight--;
			this.lock.notifyAll(); // the completed return; one of the others writes the next batch
		}
	}

	/** One publisher's event and its outcome; fields guarded by the appender's lock. */
	private static final class Pending {

		final OutgoingEvent event;

		/** In a batch being written. */
		boolean taken;

		boolean done;

		@Nullable StoredEvent stored;

		@Nullable RuntimeException failure;

		Pending(OutgoingEvent event) {
			this.event = event;
		}

		StoredEvent result() {
			if (this.failure != null) {
				throw this.failure;
			}
			return this.stored;
		}

	}

}
