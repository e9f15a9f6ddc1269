package io.github.ssestarter.security.spring;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Resolves bearer tokens as Spring Security does by default (the {@code Authorization}
 * header), and also from the {@code access_token} query parameter on requests that open a
 * stream: a browser's EventSource cannot send headers. Tokens in URLs can end up in access
 * logs, so use short-lived tokens; a stream outlives its token only until
 * {@code sse.connection.max-lifetime}, after which the reconnect is authenticated again.
 *
 * @since 0.1.0
 */
public class SseBearerTokenResolver implements BearerTokenResolver {

	private final DefaultBearerTokenResolver headerOnly = new DefaultBearerTokenResolver();

	private final DefaultBearerTokenResolver headerOrQuery = new DefaultBearerTokenResolver();

	private final RequestMatcher streamRequests;

	/**
	 * Create the resolver.
	 * @param streamRequests the requests that may carry the token in the query
	 */
	public SseBearerTokenResolver(RequestMatcher streamRequests) {
		this.streamRequests = streamRequests;
		this.headerOrQuery.setAllowUriQueryParameter(true);
	}

	@Override
	public @Nullable String resolve(HttpServletRequest request) {
		return this.streamRequests.matches(request) ? this.headerOrQuery.resolve(request)
				: this.headerOnly.resolve(request);
	}

}
