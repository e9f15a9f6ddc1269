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
 * count and age.
 * <p>
 * Ids are {@code <epoch>-<sequence>}. The epoch is random per store instance, so after a
 * restart an old id is recognisably foreign and the client is told to reset instead of
 * being replayed the wrong events. Sequences start at 1; {@code <epoch>-0} is the position
 * before the first event.
 * <p>
 * Concurrency: one lock guards the ring. Appends take it for a few field writes; replays
 * take it to copy references out of the ring and filter them outside it.
 *
 * @since 0.1.0
 */
public final class InMemorySseEventStore implements SseEventStore {

	private final String epoch;

	private final String idPrefix;

	private final StoredEvent[] ring;

	private final long maxAgeMillis;

	private final Clock clock;

	private final ReentrantLock lock = new ReentrantLock();

	/** Sequence of the newest event; 0 before the first. Guarded by {@link #lock}. */
	private long head;

	/** Sequence of the oldest retained event; {@code head + 1} when none is retained. Guarded by {@link #lock}. */
	private long tail = 1;

	/**
	 * Create a store.
	 * @param maxEvents how many events to retain (0 keeps none)
	 * @param maxAge how long to retain an event
	 * @param clock the clock that timestamps events
	 */
	public InMemorySseEventStore(int maxEvents, Duration maxAge, Clock clock) {
		if (maxEvents < 0) {
			throw new IllegalArgumentException("maxEvents must not be negative");
		}
		this.ring = new StoredEvent[maxEvents];
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
			}
			else {
				this.ring[(int) (sequence % this.ring.length)] = stored;
				if (sequence - this.tail >= this.ring.length) {
					this.tail = sequence - this.ring.length + 1;
				}
			}
			return stored;
		}
		finally {
			this.lock.unlock();
		}
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
	public ReplayResult readAfter(String lastEventId, String upToId, Predicate<StoredEvent> filter) {
		long after = sequenceOf(lastEventId);
		long upTo = sequenceOf(upToId);
		if (upTo < 0) {
			throw new IllegalArgumentException("upToId " + upToId + " is not from this store");
		}
		List<StoredEvent> candidates;
		this.lock.lock();
		try {
			evictExpiredLocked();
			if (after < 0 || after > this.head) {
				return ReplayResult.reset(ReplayResult.Reset.UNKNOWN);
			}
			if (after < this.tail - 1) {
				return ReplayResult.reset(ReplayResult.Reset.EXPIRED);
			}
			long last = Math.min(upTo, this.head);
			candidates = new ArrayList<>((int) Math.max(0, last - after));
			for (long sequence = after + 1; sequence <= last; sequence++) {
				candidates.add(this.ring[(int) (sequence % this.ring.length)]);
			}
		}
		finally {
			this.lock.unlock();
		}
		candidates.removeIf(filter.negate());
		return ReplayResult.of(candidates);
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
		while (this.tail <= this.head) {
			int slot = (int) (this.tail % this.ring.length);
			if (this.ring[slot].timestamp() >= oldestKept) {
				break;
			}
			this.ring[slot] = null;
			this.tail++;
		}
	}

	/**
	 * The epoch of this store's ids; it changes with every instance.
	 * @return the epoch
	 */
	public String epoch() {
		return this.epoch;
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
