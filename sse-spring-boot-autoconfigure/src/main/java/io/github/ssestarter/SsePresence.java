package io.github.ssestarter;

import java.util.Set;

/**
 * Who is subscribed to a topic: on every node when a distributed backplane (Redis) is on,
 * on this node otherwise. Presence is debounced: a stream that closes still counts for
 * {@code sse.presence.leave-delay}, so a page that reloads never looks like a leave and a
 * join.
 *
 * @param topic the topic
 * @param streams how many streams are subscribed to it
 * @param users the authenticated users among them, at most {@code sse.presence.max-users}
 * @param allUsers whether {@code users} lists every subscribed user (not cut at the maximum)
 * @since 0.3.0
 */
public record SsePresence(String topic, long streams, Set<String> users, boolean allUsers) {

	/**
	 * Whether any stream is subscribed.
	 * @return {@code true} if at least one stream is subscribed
	 */
	public boolean isOccupied() {
		return this.streams > 0;
	}

}
