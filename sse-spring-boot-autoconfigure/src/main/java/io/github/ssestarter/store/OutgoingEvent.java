package io.github.ssestarter.store;

import java.util.Set;

import io.github.ssestarter.encode.EncodedEvent;

/**
 * An encoded event on its way to the event store and the backplane, before it has an id.
 *
 * @param topics the topics it is published to; empty when {@code broadcast}
 * @param broadcast whether every client receives it
 * @param encoded the encoded fields
 * @since 0.1.0
 */
public record OutgoingEvent(Set<String> topics, boolean broadcast, EncodedEvent encoded) {

	/**
	 * Validates the combination.
	 * @param topics the topics it is published to; empty when {@code broadcast}
	 * @param broadcast whether every client receives it
	 * @param encoded the encoded fields
	 */
	public OutgoingEvent {
		topics = Set.copyOf(topics);
		if (broadcast != topics.isEmpty()) {
			throw new IllegalArgumentException("An event goes either to topics or to everyone");
		}
	}

}
