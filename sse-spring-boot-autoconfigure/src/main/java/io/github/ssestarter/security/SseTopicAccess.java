package io.github.ssestarter.security;

import java.util.List;

import org.jspecify.annotations.Nullable;

import io.github.ssestarter.SseTopics;

/**
 * Applies the reserved-topic rule and every {@link SseTopicAuthorizer} to the topics a
 * stream asks for.
 *
 * @since 0.1.0
 */
public class SseTopicAccess {

	private final List<SseTopicAuthorizer> authorizers;

	/**
	 * Create the access check.
	 * @param authorizers every authorizer, all consulted
	 */
	public SseTopicAccess(List<SseTopicAuthorizer> authorizers) {
		this.authorizers = List.copyOf(authorizers);
	}

	/**
	 * Whether the subscriber may receive the topic.
	 * @param subscriber who asks
	 * @param topic a syntactically valid topic
	 * @return {@code true} if allowed
	 */
	public boolean isAllowed(SseSubscriber subscriber, String topic) {
		return decide(subscriber, topic) == Decision.ALLOWED;
	}

	/**
	 * Whether the subscriber may receive the topic, and if not, why.
	 * @param subscriber who asks
	 * @param topic a syntactically valid topic
	 * @return the decision
	 * @since 0.3.0
	 */
	public Decision decide(SseSubscriber subscriber, String topic) {
		if (SseTopics.isReserved(topic)) {
			return isOwn(subscriber, topic) ? Decision.ALLOWED : Decision.RESERVED;
		}
		boolean allowed = false;
		for (SseTopicAuthorizer authorizer : this.authorizers) {
			SseTopicAuthorizer.Vote vote = authorizer.vote(subscriber, topic);
			if (vote == SseTopicAuthorizer.Vote.DENY) {
				return Decision.DENIED;
			}
			allowed |= (vote == SseTopicAuthorizer.Vote.ALLOW);
		}
		return allowed ? Decision.ALLOWED : Decision.NOT_GRANTED;
	}

	/**
	 * The first topic the subscriber may not receive.
	 * @param subscriber who asks
	 * @param topics the requested topics
	 * @return the refused topic, or {@code null} if all are allowed
	 */
	public @Nullable String firstRefused(SseSubscriber subscriber, Iterable<String> topics) {
		for (String topic : topics) {
			if (!isAllowed(subscriber, topic)) {
				return topic;
			}
		}
		return null;
	}

	/**
	 * What {@link #decide} found.
	 *
	 * @since 0.3.0
	 */
	public enum Decision {

		/** The subscriber may receive the topic. */
		ALLOWED,

		/** A reserved topic ({@code user:}, {@code session:}, {@code client:}) that is not the subscriber's own. */
		RESERVED,

		/** An authorizer denied it. */
		DENIED,

		/** No rule (allowed-topics pattern or authorizer) grants it. */
		NOT_GRANTED

	}

	private static boolean isOwn(SseSubscriber subscriber, String topic) {
		return (subscriber.userId() != null && topic.equals(SseTopics.USER_PREFIX + subscriber.userId()))
				|| (subscriber.sessionId() != null && topic.equals(SseTopics.SESSION_PREFIX + subscriber.sessionId()));
	}

}
