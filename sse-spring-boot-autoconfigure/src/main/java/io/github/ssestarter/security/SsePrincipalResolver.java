package io.github.ssestarter.security;

import java.time.Instant;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Finds the user id behind a stream request; the stream then receives the topic
 * {@code user:<id>}. Called once, on the request thread, when the stream opens: the id is
 * captured then, since later (asynchronous) writes have no security context.
 * <p>
 * The default uses the authentication's name, or the principal attribute or JWT claim
 * named by {@code sse.security.user-id-attribute}. Declare a bean of this type to replace it.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface SsePrincipalResolver {

	/**
	 * The user id of the request's authenticated user.
	 * @param request the stream request
	 * @return the user id, or {@code null} if the request is anonymous
	 */
	@Nullable String resolveUserId(HttpServletRequest request);

	/**
	 * When the credential that authenticated the request expires, for a stream that must
	 * not outlive it (a bearer token's {@code exp}); the stream then ends with
	 * {@code sse.ended} ({@code token-expired}) and a retry hint, so the client reconnects
	 * with a fresh credential. A stream opened in an HTTP session ends with the session
	 * instead. The default: no expiry.
	 * @param request the stream request
	 * @return the expiry, or {@code null}
	 * @since 0.3.0
	 */
	default @Nullable Instant resolveCredentialExpiry(HttpServletRequest request) {
		return null;
	}

}
