package io.github.ssestarter.events;

import java.time.Instant;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A stream opened on a node of this application: an application event, received with
 * {@code @EventListener}. Published on one thread of the starter's, in order with the
 * stream's {@link SseStreamClosedEvent}, after the stream registered (a listener never
 * slows the engine down; a slow listener delays the following notices only).
 *
 * @param clientId the stream's client id (topic {@code client:<clientId>})
 * @param userId the user id, or {@code null} when anonymous
 * @param sessionId the HTTP session id, or {@code null}: to correlate, never to log (whoever
 * holds it holds the session)
 * @param topics the stream's topics, its reserved {@code client:} and {@code user:} topics
 * included; not its {@code session:} topic, which holds the session id
 * @param node the node the stream is connected to ({@code sse.node-name})
 * @param openedAt when the stream opened
 * @since 0.3.0
 */
public record SseStreamOpenedEvent(String clientId, @Nullable String userId, @Nullable String sessionId,
		Set<String> topics, String node, Instant openedAt) {

}
