package io.github.ssestarter.engine;

import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What a client asked for when opening a stream, after validation and authorization.
 *
 * @param userId the authenticated user, or {@code null}
 * @param sessionId the HTTP session, or {@code null}
 * @param topics the topics requested (the server adds the reserved ones)
 * @param lastEventId the id to resume after, or {@code null} for a fresh stream
 * @since 0.1.0
 */
public record SseSubscription(@Nullable String userId, @Nullable String sessionId, Set<String> topics,
		@Nullable String lastEventId) {

}
