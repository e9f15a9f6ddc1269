package io.github.ssestarter.security.spring;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Rejects a request to an SSE endpoint whose query string the container cannot decode
 * (for example, percent-encoded bytes that are not UTF-8) with a {@code 400} problem detail
 * at the start of the security chain. Left alone, the first filter that reads a parameter
 * fails, and the error page dispatch that follows is answered as unauthenticated.
 *
 * @since 0.1.0
 */
public class SseQueryStringFilter extends OncePerRequestFilter {

	private final RequestMatcher sseRequests;

	private final JsonMapper jsonMapper;

	/**
	 * Create the filter.
	 * @param sseRequests the requests to check
	 * @param jsonMapper writes the problem detail
	 */
	public SseQueryStringFilter(RequestMatcher sseRequests, JsonMapper jsonMapper) {
		this.sseRequests = sseRequests;
		this.jsonMapper = jsonMapper;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return request.getQueryString() == null || !this.sseRequests.matches(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			request.getParameterMap();
		}
		catch (IllegalStateException ex) { // Tomcat: InvalidParameterException
			ProblemResponses.write(this.jsonMapper, request, response, HttpStatus.BAD_REQUEST, "malformed-query",
					"The query string could not be decoded: percent-encode it as UTF-8.");
			return;
		}
		chain.doFilter(request, response);
	}

}
