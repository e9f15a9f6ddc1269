package io.github.ssestarter.security;

import java.security.Principal;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Who is opening a stream, as seen by {@link SseTopicAuthorizer}s.
 *
 * @param userId the user id from {@link SsePrincipalResolver}, or {@code null} when anonymous
 * @param sessionId the HTTP session id, or {@code null}
 * @param principal the authenticated principal (with Spring Security, the
 * {@code Authentication}), or {@code null}
 * @param credentialExpiresAt when the credential that authenticated the request (a bearer
 * token) expires, or {@code null} (a session, or a credential without expiry)
 * @since 0.1.0
 */
public record SseSubscriber(@Nullable String userId, @Nullable String sessionId, @Nullable Principal principal,
		@Nullable Instant credentialExpiresAt) {

	/**
	 * Who is opening a stream, with a credential that does not expire.
	 * @param userId the user id, or {@code null} when anonymous
	 * @param sessionId the HTTP session id, or {@code null}
	 * @param principal the authenticated principal, or {@code null}
	 */
	public SseSubscriber(@Nullable String userId, @Nullable String sessionId, @Nullable Principal principal) {
		this(userId, sessionId, principal, null);
	}

	/**
	 * Whether the subscriber is authenticated.
	 * @return {@code true} when there is a user id
	 */
	public boolean isAuthenticated() {
		return this.userId != null;
	}

}
