package io.github.ssestarter.security.spring;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import io.github.ssestarter.web.SseRequestException;

/**
 * Writes an RFC 9457 problem detail from a servlet filter, where Spring MVC's exception
 * handling does not reach, in the same shape as the controllers' problems.
 */
final class ProblemResponses {

	private ProblemResponses() {
	}

	static void write(JsonMapper jsonMapper, HttpServletRequest request, HttpServletResponse response,
			HttpStatus status, String type, String detail) throws IOException {
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", SseRequestException.TYPE_BASE + type);
		problem.put("title", status.getReasonPhrase());
		problem.put("status", status.value());
		problem.put("detail", detail);
		// On an error dispatch (a filter sent an error first), the request the client made.
		Object original = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		problem.put("instance", (original instanceof String uri) ? uri : request.getRequestURI());
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		jsonMapper.writeValue(response.getOutputStream(), problem);
	}

}
