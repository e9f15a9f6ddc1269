package io.github.ssestarter.presence;

/**
 * A user joined a topic (had no stream on it anywhere, has one now) or left it (had one,
 * has none).
 *
 * @param topic the topic
 * @param user the user id
 * @param joined {@code true} for a join, {@code false} for a leave
 * @since 0.3.0
 */
public record PresenceTransition(String topic, String user, boolean joined) {

}
