package io.github.ssestarter.presence;

import org.jspecify.annotations.Nullable;

/**
 * One change of this node's presence: a stream of {@code user} joined ({@code +1}) or left
 * ({@code -1}) a topic, or, when {@code topic} is {@code null}, the user's stream count
 * changed.
 *
 * @param topic the topic, or {@code null} for the user's own count
 * @param user the user id, or {@code null} for an anonymous stream
 * @param delta {@code +1} or {@code -1}
 * @param announced whether the topic's subscribers are told when the user joins or leaves it
 * @param localCount the user's stream count on the topic on this node after the change
 * @since 0.3.0
 */
public record PresenceChange(@Nullable String topic, @Nullable String user, int delta, boolean announced,
		int localCount) {

}
