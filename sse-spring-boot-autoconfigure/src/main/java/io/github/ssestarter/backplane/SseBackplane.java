package io.github.ssestarter.backplane;

import java.time.Duration;

import io.github.ssestarter.store.HistoryPage;
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
 * gap or duplicate. When a node cannot deliver some events (the shared store lost them, or
 * dropped them before this node read them), it says so with {@link Delivery#skipTo} at that
 * place, and every stream gets an {@code sse.reset} there: never a silent gap.
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
	void start(String position, Delivery delivery);

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
	 * Wait, at most {@code timeout}, until this node has delivered the event with the given
	 * id, if it is an event this node will deliver (a client resuming on a node that is
	 * behind the one it came from). Returns at once for an id this node has delivered or
	 * will never deliver.
	 * @param id the id a client resumes after
	 * @param timeout the longest wait
	 * @return {@code false} if the node may still be behind the id after the wait
	 * @since 0.2.0
	 */
	default boolean awaitDelivered(String id, Duration timeout) {
		return true;
	}

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
	 * Entries of the shared store skipped because they are not events (written by another
	 * program, or damaged).
	 * @return the count since start
	 * @since 0.2.0
	 */
	default long skippedEntries() {
		return 0;
	}

	/**
	 * What this backplane is and where it connects, for the start-up log line.
	 * @return a short description
	 * @since 0.3.0
	 */
	default String describe() {
		return getClass().getSimpleName();
	}

	/**
	 * How long the last event took from being stored to being delivered on this node.
	 * @return milliseconds, or 0 for a backplane that delivers on the publishing thread
	 */
	default long lagMillis() {
		return 0;
	}

	/**
	 * Where a backplane hands the events of every node to this node's streams.
	 *
	 * @since 0.2.0
	 */
	interface Delivery {

		/**
		 * Deliver the next event, in id order.
		 * @param event the event
		 */
		void deliver(StoredEvent event);

		/**
		 * The events after the last one delivered, up to and including {@code position},
		 * cannot be delivered (the store lost them or dropped them before this node read
		 * them; {@code position} may start a new generation of ids). Every stream is told
		 * to reset here, and delivery goes on after {@code position}.
		 * @param position the id after which delivery goes on
		 * @param reason {@link HistoryPage.Reset#UNKNOWN} when the store lost its
		 * continuity, {@link HistoryPage.Reset#EXPIRED} when this node fell behind the
		 * store's history
		 */
		void skipTo(String position, HistoryPage.Reset reason);

	}

}
