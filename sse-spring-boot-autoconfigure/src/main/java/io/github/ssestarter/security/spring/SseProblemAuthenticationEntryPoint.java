package io.github.ssestarter.security.spring;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Answers an unauthenticated request to an SSE endpoint, or for any event stream, with a
 * {@code 401} problem detail where the application's chain would otherwise redirect to a
 * login page: an EventSource cannot follow a redirect to a page, and a script needs to
 * know what went wrong.
 *
 * @since 0.1.0
 */
public class SseProblemAuthenticationEntryPoint implements AuthenticationEntryPoint {

	private final JsonMapper jsonMapper;

	private final RequestMatcher tokenInQuery;

	/**
	 * Create the entry point.
	 * @param jsonMapper writes the problem detail
	 */
	public SseProblemAuthenticationEntryPoint(JsonMapper jsonMapper) {
		this(jsonMapper, (request) -> false);
	}

	/**
	 * Create the entry point.
	 * @param jsonMapper writes the problem detail
	 * @param tokenInQuery the requests that may carry a bearer token in the
	 * {@code access_token} query parameter (the starter's stream endpoint), which the
	 * detail then mentions
	 * @since 0.3.0
	 */
	public SseProblemAuthenticationEntryPoint(JsonMapper jsonMapper, RequestMatcher tokenInQuery) {
		this.jsonMapper = jsonMapper;
		this.tokenInQuery = tokenInQuery;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException authException) throws IOException {
		String detail = "This event stream requires an authenticated user: log in first, or send a bearer token"
				+ (this.tokenInQuery.matches(request)
						? " (an EventSource cannot send headers: use the access_token query parameter)." : ".");
		ProblemResponses.write(this.jsonMapper, request, response, HttpStatus.UNAUTHORIZED, "unauthenticated", detail);
	}

}
