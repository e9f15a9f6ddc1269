package io.github.ssestarter.engine;

import io.github.ssestarter.SsePresence;

/**
 * Answers the engine's presence queries (over the whole cluster when a distributed store
 * keeps presence).
 *
 * @since 0.3.0
 */
public interface SsePresenceView {

	/**
	 * Who is subscribed to a topic.
	 * @param topic the topic
	 * @return the presence
	 */
	SsePresence presence(String topic);

	/**
	 * Whether the user has a stream open.
	 * @param userId the user id
	 * @return {@code true} if so
	 */
	boolean isUserOnline(String userId);

}
