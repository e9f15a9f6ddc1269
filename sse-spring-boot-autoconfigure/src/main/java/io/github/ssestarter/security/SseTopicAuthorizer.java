package io.github.ssestarter.security;

/**
 * Decides whether a subscriber may receive a topic it asks for. Declare any number of
 * beans; all are consulted for every requested topic:
 * <ul>
 * <li>any {@link Vote#DENY} refuses the topic (403 naming it), whatever the others say;</li>
 * <li>otherwise any {@link Vote#ALLOW} grants it;</li>
 * <li>a topic nobody allows is refused.</li>
 * </ul>
 * Reserved topics are checked before any authorizer and cannot be granted by one:
 * {@code user:<id>} and {@code session:<id>} only to their owner, {@code client:} topics
 * never (the server assigns them). The topics listed in {@code sse.security.allowed-topics}
 * are allowed by a built-in authorizer.
 *
 * <pre>{@code
 * @Bean
 * SseTopicAuthorizer orderOwners(OrderRepository orders) {
 *     return (subscriber, topic) -> {
 *         if (!topic.startsWith("order:")) {
 *             return Vote.ABSTAIN;
 *         }
 *         String owner = orders.ownerOf(topic.substring("order:".length()));
 *         return (owner != null && owner.equals(subscriber.userId())) ? Vote.ALLOW : Vote.DENY;
 *     };
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface SseTopicAuthorizer {

	/**
	 * Vote on one requested topic.
	 * @param subscriber who asks
	 * @param topic the topic (already syntactically valid, never a reserved topic)
	 * @return the vote
	 */
	Vote vote(SseSubscriber subscriber, String topic);

	/**
	 * An authorizer's answer for one topic.
	 */
	enum Vote {

		/** The subscriber may receive the topic (unless another authorizer denies it). */
		ALLOW,

		/** The subscriber must not receive the topic, whatever the others say. */
		DENY,

		/** This authorizer has no opinion on the topic. */
		ABSTAIN

	}

}
