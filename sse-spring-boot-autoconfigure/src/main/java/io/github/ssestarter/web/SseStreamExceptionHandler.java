package io.github.ssestarter.web;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Renders the refusals of an {@link SseStream} returned by any of the application's
 * controllers (a reserved topic, too many streams, a malformed {@code Last-Event-ID}) as
 * RFC 9457 problem details, whatever the request's {@code Accept} header says; only the
 * starter throws {@link SseRequestException}.
 *
 * @since 0.3.0
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class SseStreamExceptionHandler {

	/**
	 * Create an instance.
	 */
	public SseStreamExceptionHandler() {
	}

	/**
	 * Render a problem detail.
	 * @param ex the exception
	 * @param request the request
	 * @return the response
	 */
	@ExceptionHandler(SseRequestException.class)
	public ResponseEntity<ProblemDetail> handle(SseRequestException ex, HttpServletRequest request) {
		return SseExceptionHandler.problem(ex, request);
	}

}
