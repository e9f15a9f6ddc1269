package io.github.ssestarter.security;

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

}
