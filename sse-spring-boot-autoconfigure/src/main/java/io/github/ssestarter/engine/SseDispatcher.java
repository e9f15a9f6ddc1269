package io.github.ssestarter.engine;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import io.github.ssestarter.encode.SseFrame;
import io.github.ssestarter.store.StoredEvent;

/**
 * Hands each event the backplane delivers to this node to the queues of its recipients,
 * and joins new streams to that flow at an exact position.
 * <p>
 * The backplane calls {@link #accept} in id order, one event at a time. The same lock
 * covers each delivery and each {@link #register}, so a new stream is added between two
 * deliveries: every event up to the returned position was delivered before it existed
 * (it gets those from the history), every later one is queued for it live. That is what
 * makes the seam between replay and live stream exact, without duplicate or gap. The lock
 * is held only to enqueue frames, which never blocks.
 *
 * @since 0.1.0
 */
final class SseDispatcher implements Consumer<StoredEvent> {

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

	@Override
	public void accept(StoredEvent event) {
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
				offerAll(this.registry.subscribers(topics.iterator().next()), frame);
				return;
			}
			long current = ++this.stamp;
			for (String topic : topics) {
				for (SseConnection connection : this.registry.subscribers(topic)) {
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
	 * Add a stream to the registry between two deliveries. Registrations are serialized by
	 * the same lock, so a per-user count checked here cannot be raced past.
	 * @param connection the stream
	 * @param maxPerUser the most streams its user may have
	 * @param policy what to do when the user has that many already
	 * @return the position and the stream to evict, if any
	 * @throws SseUserLimitException if the user has too many streams and the policy rejects
	 */
	Registration register(SseConnection connection, int maxPerUser, PerUserLimitPolicy policy) {
		this.lock.lock();
		try {
			SseConnection evict = null;
			String userId = connection.userId();
			if (userId != null) {
				Collection<SseConnection> existing = this.registry.userConnections(userId);
				if (existing.size() >= maxPerUser) {
					if (policy == PerUserLimitPolicy.REJECT) {
						throw new SseUserLimitException(maxPerUser);
					}
					evict = oldest(existing);
				}
			}
			this.registry.add(connection);
			return new Registration(this.lastDeliveredId, evict);
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

	/**
	 * A stream's place in the flow of events.
	 *
	 * @param position the id of the last event delivered before the stream was added
	 * @param evict the user's oldest stream, to end because the user reached the limit
	 */
	record Registration(String position, @Nullable SseConnection evict) {
	}

}
