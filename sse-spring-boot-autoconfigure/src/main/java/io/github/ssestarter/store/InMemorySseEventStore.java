package io.github.ssestarter.store;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The default {@link SseEventStore}: a ring buffer in this node's memory, bounded by event
 * count, by the bytes of the retained frames (the newest event is always kept), and by age.
 * <p>
 * Ids are {@code <epoch>-<sequence>}. The epoch is random per store instance, so after a
 * restart an old id is recognisably foreign and the client is told to reset instead of
 * being replayed the wrong events: the reset is placed before this instance's first event
 * when the history still holds it (the client has none of them, and gets them all after
 * the reset), else at the end of the range. Sequences start at 1; {@code <epoch>-0} is the
 * position before the first event.
 * <p>
 * Concurrency: one lock guards the ring. Appends take it for a few field writes; a page
 * read takes it to walk at most {@link #SCAN_LIMIT} slots, copying references to the
 * matching events (the frames themselves are shared, never copied).
 *
 * @since 0.1.0
 */
public final class InMemorySseEventStore implements SseEventStore {

	/** The most events one page read looks at, matching or not, so a read never holds the lock long. */
	static final int SCAN_LIMIT = 4096;

	/** Epochs are at most 8 base-36 digits. */
	private static final int MAX_EPOCH_LENGTH = 8;

	private final String epoch;

	private final String idPrefix;

	private final StoredEvent[] ring;

	private final long maxBytes;

	private final long maxAgeMillis;

	private final Clock clock;

	private final ReentrantLock lock = new ReentrantLock();

	/** Sequence of the newest event; 0 before the first. Guarded by {@link #lock}. */
	private long head;

	/** Sequence of the oldest retained event; {@code head + 1} when none is retained. Guarded by {@link #lock}. */
	private long tail = 1;

	/** Frame bytes of the retained events. Guarded by {@link #lock}. */
	private long retainedBytes;

	/**
	 * Create a store.
	 * @param maxEvents how many events to retain (0 keeps none)
	 * @param maxBytes how many frame bytes to retain; the oldest events leave first, but the
	 * newest is kept even if it is larger
	 * @param maxAge how long to retain an event
	 * @param clock the clock that timestamps events
	 * @since 0.2.0
	 */
	public InMemorySseEventStore(int maxEvents, long maxBytes, Duration maxAge, Clock clock) {
		if (maxEvents < 0) {
			throw new IllegalArgumentException("maxEvents must not be negative");
		}
		if (maxBytes < 0) {
			throw new IllegalArgumentException("maxBytes must not be negative");
		}
		this.ring = new StoredEvent[maxEvents];
		this.maxBytes = maxBytes;
		this.maxAgeMillis = maxAge.toMillis();
		this.clock = clock;
		this.epoch = Long.toString((new SecureRandom().nextLong() >>> 1) % 2821109907456L, 36); // 8 base-36 digits at most
		this.idPrefix = this.epoch + "-";
	}

	@Override
	public StoredEvent append(OutgoingEvent event) {
		this.lock.lock();
		try {
			long sequence = this.head + 1;
			String id = this.idPrefix + sequence;
			StoredEvent stored = new StoredEvent(id, event.topics(), event.broadcast(), event.encoded().withId(id),
					this.clock.millis());
			this.head = sequence;
			if (this.ring.length == 0) {
				this.tail = sequence + 1;
				return stored;
			}
			if (sequence - this.tail >= this.ring.length) {
				dropOldest(); // its slot is about to be reused
			}
			this.ring[slot(sequence)] = stored;
			this.retainedBytes += stored.frame().size();
			while (this.retainedBytes > this.maxBytes && this.tail < sequence) {
				dropOldest(); // never the event just appended: a cap as large as the largest event keeps it
			}
			return stored;
		}
		finally {
			this.lock.unlock();
		}
	}

	private void dropOldest() {
		int slot = slot(this.tail);
		this.retainedBytes -= this.ring[slot].frame().size();
		this.ring[slot] = null;
		this.tail++;
	}

	private int slot(long sequence) {
		return (int) (sequence % this.ring.length);
	}

	@Override
	public String latestId() {
		this.lock.lock();
		try {
			return this.idPrefix + this.head;
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public HistoryPage read(String afterId, String upToId, Predicate<StoredEvent> filter, int maxEvents,
			long maxBytes) {
		long after = sequenceOf(afterId);
		long upTo = sequenceOf(upToId);
		if (upTo < 0) {
			throw new IllegalArgumentException("upToId " + upToId + " is not from this store");
		}
		List<StoredEvent> events = new ArrayList<>();
		this.lock.lock();
		try {
			evictExpiredLocked();
			if (after < 0 && this.tail == 1 && isOfAnotherEpoch(afterId)) {
				return HistoryPage.resetThenReadFrom(HistoryPage.Reset.UNKNOWN, this.idPrefix + 0);
			}
			if (after < 0 || after > this.head) {
				return HistoryPage.reset(HistoryPage.Reset.UNKNOWN, upToId);
			}
			long last = Math.min(upTo, this.head);
			if (after >= last) {
				return HistoryPage.of(List.of(), afterId, true);
			}
			if (after < this.tail - 1) {
				return HistoryPage.reset(HistoryPage.Reset.EXPIRED, upToId);
			}
			long bytes = 0;
			long sequence = after;
			long scanEnd = Math.min(last, after + SCAN_LIMIT);
			while (sequence < scanEnd && events.size() < maxEvents && bytes < maxBytes) {
				StoredEvent event = this.ring[slot(++sequence)];
				if (filter.test(event)) {
					events.add(event);
					bytes += event.frame().size();
				}
			}
			return HistoryPage.of(events, this.idPrefix + sequence, sequence == last);
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public boolean isLocal() {
		return true;
	}

	@Override
	public void evictExpired() {
		this.lock.lock();
		try {
			evictExpiredLocked();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void evictExpiredLocked() {
		long oldestKept = this.clock.millis() - this.maxAgeMillis;
		while (this.tail <= this.head && this.ring[slot(this.tail)].timestamp() < oldestKept) {
			dropOldest();
		}
	}

	/**
	 * Bytes of the encoded events the history holds now (at most its byte cap).
	 * @return the byte count
	 * @since 0.2.0
	 */
	public long retainedBytes() {
		this.lock.lock();
		try {
			return this.retainedBytes;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Events the history holds now.
	 * @return the count
	 * @since 0.2.0
	 */
	public long retainedEvents() {
		this.lock.lock();
		try {
			return this.head - this.tail + 1;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * The epoch of this store's ids; it changes with every instance.
	 * @return the epoch
	 */
	public String epoch() {
		return this.epoch;
	}

	/** Whether an id has the shape of this store's ids, but another instance's epoch (a restart). */
	private boolean isOfAnotherEpoch(String id) {
		int dash = id.lastIndexOf('-');
		int digits = id.length() - dash - 1;
		if (dash < 1 || dash > MAX_EPOCH_LENGTH || digits < 1 || digits > 18 || id.startsWith(this.idPrefix)) {
			return false;
		}
		for (int i = 0; i < id.length(); i++) {
			char c = id.charAt(i);
			boolean digit = c >= '0' && c <= '9';
			if ((i < dash && !digit && (c < 'a' || c > 'z')) || (i > dash && !digit)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The sequence number of one of this store's ids.
	 * @return the sequence, or -1 if the id is not from this store
	 */
	private long sequenceOf(String id) {
		if (!id.startsWith(this.idPrefix) || id.length() == this.idPrefix.length()
				|| id.length() > this.idPrefix.length() + 18) {
			return -1;
		}
		long sequence = 0;
		for (int i = this.idPrefix.length(); i < id.length(); i++) {
			char c = id.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			sequence = sequence * 10 + (c - '0');
		}
		return sequence;
	}

}
