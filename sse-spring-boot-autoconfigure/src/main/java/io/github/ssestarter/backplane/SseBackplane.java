package io.github.ssestarter.backplane;

import java.util.function.Consumer;

import io.github.ssestarter.store.OutgoingEvent;
import io.github.ssestarter.store.StoredEvent;

/**
 * Carries every published event to every node that has clients: the default delivers on
 * this node only; a distributed implementation (such as Redis) delivers on all of them.
 * Declare a bean of this type to replace the default.
 * <p>
 * Contract: {@link #publish} stores the event (which assigns its id) and makes sure each
 * node's delivery callback receives it exactly once. On each node the callback is invoked
 * in id order, one event at a time, never concurrently: the engine relies on this to
 * deliver events to each client in order and to join a replay to the live stream without
 * gap or duplicate.
 *
 * @since 0.1.0
 */
public interface SseBackplane {

	/**
	 * Start delivering events to this node. Called once, before the first publish.
	 * @param position the id of the last event this node has seen (the store's
	 * {@code latestId()} at start): deliver every event after it
	 * @param delivery receives every event published on any node, in id order
	 */
	void start(String position, Consumer<StoredEvent> delivery);

	/**
	 * Store the event and deliver it to every node.
	 * @param event the event
	 * @return the id assigned to it
	 * @throws SseBackplaneException if the event cannot be published
	 */
	String publish(OutgoingEvent event);

	/**
	 * Stop delivering; called once at shutdown.
	 */
	void stop();

	/**
	 * Whether the backplane can currently publish and deliver.
	 * @return {@code true} when healthy
	 */
	default boolean isAvailable() {
		return true;
	}

	/**
	 * Failed publishes and failed reads since start.
	 * @return the count
	 */
	default long errorCount() {
		return 0;
	}

	/**
	 * How long the last event took from being stored to being delivered on this node.
	 * @return milliseconds, or 0 for a backplane that delivers on the publishing thread
	 */
	default long lagMillis() {
		return 0;
	}

}
