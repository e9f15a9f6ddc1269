package io.github.ssestarter.store;

import java.util.Set;

import io.github.ssestarter.encode.SseFrame;

/**
 * A published event with its id: what the store keeps for replay and what the backplane
 * hands to every node for delivery.
 *
 * @param id the event id, unique and increasing within the store
 * @param topics the topics it was published to; empty when {@code broadcast}
 * @param broadcast whether every client receives it
 * @param frame the complete frame, id line included
 * @param timestamp epoch milliseconds when it was stored
 * @since 0.1.0
 */
public record StoredEvent(String id, Set<String> topics, boolean broadcast, SseFrame frame, long timestamp) {

	/**
	 * Whether a client subscribed to the given topics receives this event.
	 * @param subscriptions the client's topics
	 * @return {@code true} if the event is a broadcast or shares a topic with the client
	 */
	public boolean isFor(Set<String> subscriptions) {
		if (this.broadcast) {
			return true;
		}
		for (String topic : this.topics) {
			if (subscriptions.contains(topic)) {
				return true;
			}
		}
		return false;
	}

}
