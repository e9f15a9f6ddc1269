package io.github.ssestarter.engine;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

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

	private static void offerAll(Collection<SseConnection> connections, SseFrame frame) {
		for (SseConnection connection : connections) {
			connection.offer(frame);
		}
	}

	/**
	 * Add a stream to the registry between two deliveries.
	 * @param connection the stream
	 * @return the id of the last event delivered before it was added
	 */
	String register(SseConnection connection) {
		this.lock.lock();
		try {
			this.registry.add(connection);
			return this.lastDeliveredId;
		}
		finally {
			this.lock.unlock();
		}
	}

}
