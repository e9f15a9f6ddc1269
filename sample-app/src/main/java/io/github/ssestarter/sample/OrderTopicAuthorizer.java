package io.github.ssestarter.sample;

import java.util.Map;

import org.springframework.stereotype.Component;

import io.github.ssestarter.security.SseSubscriber;
import io.github.ssestarter.security.SseTopicAuthorizer;

/**
 * An application rule for topics: {@code order:<id>} only for the order's owner. In a
 * real application the owner comes from the order repository.
 */
@Component
class OrderTopicAuthorizer implements SseTopicAuthorizer {

	private static final String PREFIX = "order:";

	private static final Map<String, String> OWNERS = Map.of("42", "alice", "43", "bob");

	@Override
	public Vote vote(SseSubscriber subscriber, String topic) {
		if (!topic.startsWith(PREFIX)) {
			return Vote.ABSTAIN;
		}
		String owner = OWNERS.get(topic.substring(PREFIX.length()));
		return (owner != null && owner.equals(subscriber.userId())) ? Vote.ALLOW : Vote.DENY;
	}

}
