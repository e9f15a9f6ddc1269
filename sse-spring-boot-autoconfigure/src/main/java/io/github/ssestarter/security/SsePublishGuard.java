package io.github.ssestarter.security;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Decides whether a request to the HTTP publish endpoint may publish. With Spring
 * Security the caller needs {@code sse.security.publish-authority}; without it, the
 * endpoint is off unless enabled, and then open to whoever can reach it. Declare a bean
 * of this type to decide otherwise.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface SsePublishGuard {

	/** A guard that lets every request publish. */
	SsePublishGuard PERMIT_ALL = (request) -> Decision.ALLOWED;

	/**
	 * Check a publish request.
	 * @param request the request
	 * @return the decision
	 */
	Decision check(HttpServletRequest request);

	/**
	 * A publish decision.
	 */
	enum Decision {

		/** The request may publish. */
		ALLOWED,

		/** The request is not authenticated (401). */
		UNAUTHENTICATED,

		/** The caller is authenticated but lacks the permission (403). */
		FORBIDDEN

	}

}
