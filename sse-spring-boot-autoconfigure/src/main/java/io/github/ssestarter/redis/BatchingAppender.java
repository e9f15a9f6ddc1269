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
 * instead of one per event (group commit): a publisher queues its event; if no batch is
 * being written, it takes everything queued (bounded by count and bytes) and writes it as
 * one batch, completing every publisher in it; otherwise it waits for the batch that takes
 * its event. A lone publisher writes at once, so batching adds no latency when there is no
 * contention. Each leader writes one batch and hands over, so no publisher is held up
 * writing other publishers' events for long.
 */
final class BatchingAppender {

	private final Function<List<OutgoingEvent>, List<StoredEvent>> writer;

	private final int maxEvents;

	private final long maxBytes;

	private final Object lock = new Object();

	/** Guarded by {@link #lock}. */
	private final ArrayDeque<Pending> queue = new ArrayDeque<>();

	/** Guarded by {@link #lock}. */
	private boolean writing;

	/**
	 * @param writer appends a batch atomically, returning the stored events in order, or
	 * throws (every event of the batch then fails)
	 * @param maxEvents the most events in one batch
	 * @param maxBytes the most body bytes in one batch (plus at most one event)
	 */
	BatchingAppender(Function<List<OutgoingEvent>, List<StoredEvent>> writer, int maxEvents, long maxBytes) {
		this.writer = writer;
		this.maxEvents = maxEvents;
		this.maxBytes = maxBytes;
	}

	StoredEvent append(OutgoingEvent event) {
		Pending mine = new Pending(event);
		boolean interrupted = false;
		try {
			for (;;) {
				List<Pending> batch;
				synchronized (this.lock) {
					if (!mine.queued) {
						this.queue.add(mine);
						mine.queued = true;
					}
					while (this.writing && !mine.done) {
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
					this.writing = true;
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

	/** The oldest queued events, bounded by count and bytes. */
	private List<Pending> takeBatch() {
		List<Pending> batch = new ArrayList<>(Math.min(this.queue.size(), this.maxEvents));
		long bytes = 0;
		while (!this.queue.isEmpty() && batch.size() < this.maxEvents && bytes < this.maxBytes) {
			Pending next = this.queue.poll();
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
			this.writing = false;
			this.lock.notifyAll(); // the completed return; one of the others writes the next batch
		}
	}

	/** One publisher's event and its outcome; fields guarded by the appender's lock. */
	private static final class Pending {

		final OutgoingEvent event;

		boolean queued;

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
