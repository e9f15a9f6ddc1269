package io.github.ssestarter.events;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.github.ssestarter.engine.CloseReason;

/**
 * A stream stopped receiving events on a node of this application: an application event,
 * received with {@code @EventListener}, always after the stream's
 * {@link SseStreamOpenedEvent}.
 *
 * @param clientId the stream's client id
 * @param userId the user id, or {@code null} when anonymous
 * @param sessionId the HTTP session id, or {@code null}: to correlate, never to log
 * @param topics the stream's topics, without its {@code session:} topic
 * @param node the node the stream was connected to ({@code sse.node-name})
 * @param reason why it closed, as counted in {@code sse.connections.closed}
 * @param openedAt when the stream opened
 * @param closedAt when the server noticed it closing: a client that went away is noticed at the
 * next write to it (a heartbeat at the latest), so up to about two heartbeat intervals after
 * it left
 * @since 0.3.0
 */
public record SseStreamClosedEvent(String clientId, @Nullable String userId, @Nullable String sessionId,
		Set<String> topics, String node, CloseReason reason, Instant openedAt, Instant closedAt) {

	/**
	 * How long the stream was open.
	 * @return the duration
	 */
	public Duration duration() {
		return Duration.between(this.openedAt, this.closedAt);
	}

}
