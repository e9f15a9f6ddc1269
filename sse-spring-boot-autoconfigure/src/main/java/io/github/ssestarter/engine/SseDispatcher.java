package io.github.ssestarter.engine;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

import io.github.ssestarter.encode.SseFrame;
import io.github.ssestarter.store.StoredEvent;

/**
 * Hands each event the backplane delivers to this node to the queues of its recipients,
 * and joins streams to that flow at an exact position.
 * <p>
 * The backplane calls {@link #deliver} in id order, one event at a time. The same lock
 * covers each delivery, each {@link #register} and each {@link #rejoin}, so a stream joins
 * (or, after falling behind, rejoins) the flow between two deliveries: every event up to
 * the returned position was delivered before (it reads those from the history), every
 * later one is queued for it live. That is what makes the seam between history and live
 * stream exact, without duplicate or gap. The lock is held only to enqueue frames, which
 * never blocks.
 *
 * @since 0.1.0
 */
final class SseDispatcher {

	private final SseConnectionRegistry registry;

	private final ReentrantLock lock = new ReentrantLock();

	/** Guarded by {@link #lock}. */
	private String lastDeliveredId;

	/** Guarded by {@link #lock}. */
	private long stamp;

	SseDispatcher(SseConnectionRegistry registry, String startPosition) {
		this.registry = registry;
		this.lastDeliveredId = startPosition;
	}

	void deliver(StoredEvent event) {
		SseFrame frame = event.frame();
		this.lock.lock();
		try {
			this.lastDeliveredId = event.id();
			if (event.broadcast()) {
				offerAll(this.registry.connections(), frame);
				return;
			}
			Set<String> topics = event.topics();
			if (topics.size() == 1) {
				for (SseConnection connection : this.registry.subscriberArray(topics.iterator().next())) {
					connection.offer(frame);
				}
				return;
			}
			long current = ++this.stamp;
			for (String topic : topics) {
				for (SseConnection connection : this.registry.subscriberArray(topic)) {
					if (connection.dispatchStamp != current) {
						connection.dispatchStamp = current;
						connection.offer(frame);
					}
				}
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * The events up to {@code position} cannot be delivered: queue a reset notice for every
	 * stream, between two deliveries, and go on after {@code position}. A stream that is
	 * catching up does not take the notice: its history read gets the reset instead.
	 * @param position the id after which delivery goes on
	 * @param frame the notice
	 * @return how many streams took the notice
	 */
	int skipTo(String position, SseFrame frame) {
		this.lock.lock();
		try {
			this.lastDeliveredId = position;
			int told = 0;
			for (SseConnection connection : this.registry.connections()) {
				if (connection.offer(frame) == OfferResult.ACCEPTED) {
					told++;
				}
			}
			return told;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * The id of the last event delivered on this node.
	 * @return the id
	 */
	String lastDeliveredId() {
		this.lock.lock();
		try {
			return this.lastDeliveredId;
		}
		finally {
			this.lock.unlock();
		}
	}

	private static void offerAll(Collection<SseConnection> connections, SseFrame frame) {
		for (SseConnection connection : connections) {
			connection.offer(frame);
		}
	}

	/**
	 * Let a stream that has caught up take live events again, between two deliveries.
	 * @param connection the stream, whose drainer has written everything it queued
	 * @return the id of the last event delivered before it rejoined, or {@code null} if
	 * something was queued for it meanwhile (it rejoins once that is written)
	 */
	@Nullable String rejoin(SseConnection connection) {
		this.lock.lock();
		try {
			if (connection.queuedFrames() > 0) {
				return null;
			}
			connection.rejoin();
			return this.lastDeliveredId;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Add a stream to the registry between two deliveries. Registrations are serialized by
	 * the same lock, so a per-user count checked here cannot be raced past: a stream
	 * evicted to make room is ended (and leaves the registry) before the lock is released.
	 * @param connection the stream
	 * @param maxPerUser the most streams its user may have
	 * @param policy what to do when the user has that many already
	 * @param evictionNotice the final frame of a stream evicted under {@code evict-oldest}
	 * @return the position at which the stream joined the flow
	 * @throws SseUserLimitException if the user has too many streams and the policy rejects
	 */
	String register(SseConnection connection, int maxPerUser, PerUserLimitPolicy policy, SseFrame evictionNotice) {
		this.lock.lock();
		try {
			String userId = connection.userId();
			if (userId != null) {
				Collection<SseConnection> existing = this.registry.userConnections(userId);
				while (existing.size() >= maxPerUser) {
					if (policy == PerUserLimitPolicy.REJECT) {
						throw new SseUserLimitException(maxPerUser);
					}
					SseConnection oldest = oldest(existing);
					oldest.end(CloseReason.LIMIT, evictionNotice); // leaves the registry as it ends
					this.registry.remove(oldest); // in case it was ending already and has not left yet
				}
			}
			this.registry.add(connection);
			return this.lastDeliveredId;
		}
		finally {
			this.lock.unlock();
		}
	}

	private static SseConnection oldest(Collection<SseConnection> connections) {
		SseConnection oldest = null;
		for (SseConnection connection : connections) {
			if (oldest == null || connection.openedAtMillis() < oldest.openedAtMillis()) {
				oldest = connection;
			}
		}
		return oldest;
	}

}
