package io.github.ssestarter.engine;

import java.time.Duration;

/**
 * How the engine treats streams, derived from {@code sse.*} properties.
 *
 * @param connection per-connection queue limits and write batching
 * @param maxEventSize the largest encoded event accepted for publishing, in bytes
 * @param writeTimeout how long one write may stay blocked before the stream is closed as slow
 * @param heartbeatInterval how long a stream may stay quiet before a heartbeat is sent
 * @param heartbeatMode what a heartbeat looks like
 * @param maxLifetime how long a stream may stay open before the server ends it
 * @param lifetimeJitter the fraction (0 to 0.5) by which each stream's lifetime is shortened at random
 * @param retry the reconnection delay sent to clients
 * @param connectedEvent whether a stream starts with an {@code sse.connected} event
 * @param maxConnections the most streams open at once on this node
 * @param maxConnectionsPerUser the most streams one user may have open on this node
 * @param perUserLimitPolicy what happens when a user opens one stream too many
 * @param subscribeUserTopic whether an authenticated user's streams receive their {@code user:<id>} topic
 * @since 0.1.0
 */
public record SseEngineSettings(SseConnectionSettings connection, long maxEventSize, Duration writeTimeout,
		Duration heartbeatInterval, HeartbeatMode heartbeatMode, Duration maxLifetime, double lifetimeJitter,
		Duration retry, boolean connectedEvent, int maxConnections, int maxConnectionsPerUser,
		PerUserLimitPolicy perUserLimitPolicy, boolean subscribeUserTopic) {

}
