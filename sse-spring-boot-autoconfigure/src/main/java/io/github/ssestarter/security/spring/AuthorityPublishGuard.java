package io.github.ssestarter.security.spring;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

import io.github.ssestarter.security.SsePublishGuard;

/**
 * Lets a request publish when its authentication holds {@code sse.security.publish-authority}
 * (for example {@code SSE_PUBLISH}, or {@code SCOPE_sse.publish} for a JWT scope).
 *
 * @since 0.1.0
 */
public class AuthorityPublishGuard implements SsePublishGuard {

	private final AuthenticationTrustResolver trustResolver = new AuthenticationTrustResolverImpl();

	private final String authority;

	/**
	 * Create the guard.
	 * @param authority the authority required to publish
	 */
	public AuthorityPublishGuard(String authority) {
		this.authority = authority;
	}

	@Override
	public Decision check(HttpServletRequest request) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (!this.trustResolver.isAuthenticated(authentication)) {
			return Decision.UNAUTHENTICATED;
		}
		for (GrantedAuthority granted : authentication.getAuthorities()) {
			if (this.authority.equals(granted.getAuthority())) {
				return Decision.ALLOWED;
			}
		}
		return Decision.FORBIDDEN;
	}

}
