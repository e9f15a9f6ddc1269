package io.github.ssestarter.backplane;

import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

import io.github.ssestarter.store.OutgoingEvent;
import io.github.ssestarter.store.SseEventStore;
import io.github.ssestarter.store.StoredEvent;

/**
 * The default {@link SseBackplane} for a single node: stores each event and delivers it
 * on the publishing thread.
 * <p>
 * One lock spans the id assignment and the delivery so that events reach the delivery
 * callback in id order even when many threads publish at once. The delivery only queues
 * the frame for each recipient (it never writes to a socket), so the lock is held for
 * the fan-out only, never for a client.
 *
 * @since 0.1.0
 */
public final class LocalSseBackplane implements SseBackplane {

	private final SseEventStore store;

	private final ReentrantLock lock = new ReentrantLock();

	private volatile @Nullable Delivery delivery;

	/**
	 * Create a local backplane.
	 * @param store assigns ids and keeps the history
	 */
	public LocalSseBackplane(SseEventStore store) {
		this.store = store;
	}

	@Override
	public void start(String position, Delivery delivery) {
		this.delivery = delivery;
	}

	@Override
	public String publish(OutgoingEvent event) {
		Delivery delivery = this.delivery;
		if (delivery == null) {
			throw new IllegalStateException("The backplane has not been started");
		}
		this.lock.lock();
		try {
			StoredEvent stored = this.store.append(event);
			delivery.deliver(stored);
			return stored.id();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void stop() {
		// Nothing to release: publishing keeps working (there is no one left to deliver to).
	}

	@Override
	public String describe() {
		return "local (this node only)";
	}

}
