package io.github.ssestarter.web;

import java.net.URI;
import java.net.URISyntaxException;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Renders errors from the SSE endpoints as RFC 9457 problem details
 * ({@code application/problem+json}), whatever the request's {@code Accept} header says:
 * an EventSource asks for {@code text/event-stream} and would otherwise get no body.
 * Applies to the starter's controllers only.
 *
 * @since 0.1.0
 */
@RestControllerAdvice(assignableTypes = { SseStreamController.class, SsePublishController.class })
@Order(Ordered.HIGHEST_PRECEDENCE)
public class SseExceptionHandler {

	/**
	 * Create an instance.
	 */
	public SseExceptionHandler() {
	}

	/**
	 * Render a problem detail.
	 * @param ex the exception
	 * @param request the request
	 * @return the response
	 */
	@ExceptionHandler(ErrorResponseException.class)
	public ResponseEntity<ProblemDetail> handle(ErrorResponseException ex, HttpServletRequest request) {
		return problem(ex, request);
	}

	static ResponseEntity<ProblemDetail> problem(ErrorResponseException ex, HttpServletRequest request) {
		ProblemDetail problem = ex.getBody();
		if (problem.getInstance() == null) {
			problem.setInstance(instance(request));
		}
		return ResponseEntity.status(ex.getStatusCode())
			.headers(ex.getHeaders())
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem);
	}

	private static @Nullable URI instance(HttpServletRequest request) {
		try {
			return new URI(null, null, request.getRequestURI(), null);
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}

}
