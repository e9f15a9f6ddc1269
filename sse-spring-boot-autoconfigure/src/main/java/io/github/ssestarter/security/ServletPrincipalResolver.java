package io.github.ssestarter.security;

import java.security.Principal;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * The {@link SsePrincipalResolver} without Spring Security: the name of the servlet
 * request's user principal, if the container authenticated one.
 *
 * @since 0.1.0
 */
public class ServletPrincipalResolver implements SsePrincipalResolver {

	/**
	 * Create an instance.
	 */
	public ServletPrincipalResolver() {
	}

	@Override
	public @Nullable String resolveUserId(HttpServletRequest request) {
		Principal principal = request.getUserPrincipal();
		return (principal != null) ? principal.getName() : null;
	}

}
