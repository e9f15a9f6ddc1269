package io.github.ssestarter.security.spring;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

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

	/**
	 * Create the entry point.
	 * @param jsonMapper writes the problem detail
	 */
	public SseProblemAuthenticationEntryPoint(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException authException) throws IOException {
		ProblemResponses.write(this.jsonMapper, request, response, HttpStatus.UNAUTHORIZED, "unauthenticated",
				"This event stream requires an authenticated user: log in first, or send a bearer token (an "
						+ "EventSource cannot send headers: the stream endpoint takes the access_token query parameter).");
	}

}
