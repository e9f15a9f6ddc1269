package io.github.ssestarter.sample;

import org.springframework.stereotype.Component;

import io.github.ssestarter.security.SseSubscriber;
import io.github.ssestarter.security.SseTopicAuthorizer;

/**
 * An application rule for topics on the built-in stream endpoint: {@code order:<id>} only
 * for the order's owner. ({@link OrderEventsController} serves the same events at
 * {@code /api/orders/<id>/events} with its own check.)
 */
@Component
class OrderTopicAuthorizer implements SseTopicAuthorizer {

	private static final String PREFIX = "order:";

	private final Orders orders;

	OrderTopicAuthorizer(Orders orders) {
		this.orders = orders;
	}

	@Override
	public Vote vote(SseSubscriber subscriber, String topic) {
		if (!topic.startsWith(PREFIX)) {
			return Vote.ABSTAIN;
		}
		return this.orders.ownerOf(topic.substring(PREFIX.length()))
			.filter((owner) -> owner.equals(subscriber.userId()))
			.map((owner) -> Vote.ALLOW)
			.orElse(Vote.DENY);
	}

}
