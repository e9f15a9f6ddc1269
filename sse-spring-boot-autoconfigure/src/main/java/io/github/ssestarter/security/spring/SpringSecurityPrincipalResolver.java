package io.github.ssestarter.security.spring;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.util.ClassUtils;

import io.github.ssestarter.security.SsePrincipalResolver;

/**
 * The {@link SsePrincipalResolver} with Spring Security: the current authentication's
 * name, or the principal attribute / JWT claim named by {@code sse.security.user-id-attribute}
 * (for an OAuth2 resource server or an OAuth2 login). Anonymous authentications have no
 * user id.
 *
 * @since 0.1.0
 */
public class SpringSecurityPrincipalResolver implements SsePrincipalResolver {

	private static final Log logger = LogFactory.getLog(SpringSecurityPrincipalResolver.class);

	private static final boolean OAUTH2_PRESENT = ClassUtils.isPresent(
			"org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal",
			SpringSecurityPrincipalResolver.class.getClassLoader());

	private final AuthenticationTrustResolver trustResolver = new AuthenticationTrustResolverImpl();

	private final @Nullable String attribute;

	private final AtomicBoolean missingAttributeReported = new AtomicBoolean();

	/**
	 * Create the resolver.
	 * @param attribute the attribute or claim holding the user id, or {@code null} for the
	 * authentication's name
	 */
	public SpringSecurityPrincipalResolver(@Nullable String attribute) {
		this.attribute = attribute;
	}

	@Override
	public @Nullable String resolveUserId(HttpServletRequest request) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (!this.trustResolver.isAuthenticated(authentication)) {
			return null;
		}
		if (this.attribute == null) {
			return authentication.getName();
		}
		Object value = OAUTH2_PRESENT ? OAuth2Attributes.of(authentication).get(this.attribute) : null;
		if (value == null || value.toString().isEmpty()) {
			if (this.missingAttributeReported.compareAndSet(false, true)) {
				logger.warn("The authenticated principal '" + authentication.getName() + "' has no attribute or claim '"
						+ this.attribute + "' (sse.security.user-id-attribute); its streams are treated as anonymous");
			}
			return null;
		}
		return value.toString();
	}

	/**
	 * The expiry of the bearer token that authenticated the request (an OAuth2 resource
	 * server's JWT or opaque token), or {@code null}.
	 */
	@Override
	public @Nullable Instant resolveCredentialExpiry(HttpServletRequest request) {
		if (!OAUTH2_PRESENT || !OAuth2Attributes.RESOURCE_SERVER_PRESENT) {
			return null;
		}
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return (authentication != null) ? ResourceServerAttributes.expiresAt(authentication) : null;
	}

	/** Reads OAuth2 attributes; only loaded when Spring Security's OAuth2 support is present. */
	private static final class OAuth2Attributes {

		private static final boolean RESOURCE_SERVER_PRESENT = ClassUtils.isPresent(
				"org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken",
				OAuth2Attributes.class.getClassLoader());

		static Map<String, Object> of(Authentication authentication) {
			if (RESOURCE_SERVER_PRESENT) {
				Map<String, Object> token = ResourceServerAttributes.of(authentication);
				if (token != null) {
					return token;
				}
			}
			if (authentication.getPrincipal() instanceof org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal principal) {
				return principal.getAttributes();
			}
			return Map.of();
		}

	}

	/** Token claims of a resource server's authentication; only loaded when that module is present. */
	private static final class ResourceServerAttributes {

		static @Nullable Map<String, Object> of(Authentication authentication) {
			if (authentication instanceof org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken<?> token) {
				return token.getTokenAttributes();
			}
			return null;
		}

		static @Nullable Instant expiresAt(Authentication authentication) {
			if (authentication instanceof org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken<?> token) {
				return token.getToken().getExpiresAt();
			}
			return null;
		}

	}

}
