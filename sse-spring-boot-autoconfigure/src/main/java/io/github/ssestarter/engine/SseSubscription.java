package io.github.ssestarter.engine;

import java.time.Instant;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What a client asked for when opening a stream, after validation and authorization.
 *
 * @param userId the authenticated user, or {@code null}
 * @param sessionId the HTTP session, or {@code null}
 * @param topics the topics requested (the server adds the reserved ones)
 * @param lastEventId the id to resume after, or {@code null} for a fresh stream
 * @param credentialExpiresAt when the credential that authenticated the request (a bearer
 * token) expires: the stream ends then, or {@code null}
 * @since 0.1.0
 */
public record SseSubscription(@Nullable String userId, @Nullable String sessionId, Set<String> topics,
		@Nullable String lastEventId, @Nullable Instant credentialExpiresAt) {

	/**
	 * What a client asked for, with a credential that does not expire.
	 * @param userId the authenticated user, or {@code null}
	 * @param sessionId the HTTP session, or {@code null}
	 * @param topics the topics requested
	 * @param lastEventId the id to resume after, or {@code null}
	 */
	public SseSubscription(@Nullable String userId, @Nullable String sessionId, Set<String> topics,
			@Nullable String lastEventId) {
		this(userId, sessionId, topics, lastEventId, null);
	}

}
