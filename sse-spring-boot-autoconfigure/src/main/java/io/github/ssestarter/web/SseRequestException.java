package io.github.ssestarter.web;

import java.net.URI;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A request to an SSE endpoint that cannot be served; rendered as an RFC 9457 problem
 * detail whose {@code detail} says what to fix.
 *
 * @since 0.1.0
 */
public class SseRequestException extends ErrorResponseException {

	private static final long serialVersionUID = 1L;

	/** Base of the {@code type} URIs of the starter's problems. */
	public static final String TYPE_BASE = "https://github.com/ssestarter/sse-spring-boot-starter/problems/";

	private static final int ECHO_LIMIT = 80;

	/**
	 * Create an exception.
	 * @param status the HTTP status
	 * @param type the problem type, appended to {@link #TYPE_BASE}
	 * @param detail what went wrong and how to fix it
	 */
	public SseRequestException(HttpStatus status, String type, String detail) {
		this(status, type, detail, null);
	}

	/**
	 * Create an exception.
	 * @param status the HTTP status
	 * @param type the problem type, appended to {@link #TYPE_BASE}
	 * @param detail what went wrong and how to fix it
	 * @param cause the underlying failure
	 */
	public SseRequestException(HttpStatus status, String type, String detail, @Nullable Throwable cause) {
		super(status, problem(status, type, detail), cause);
	}

	private static ProblemDetail problem(HttpStatus status, String type, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_BASE + type));
		return problem;
	}

	/**
	 * Add a property to the problem detail (for example, the offending topic).
	 * @param name the property name
	 * @param value the value
	 * @return this exception
	 */
	public SseRequestException with(String name, @Nullable Object value) {
		getBody().setProperty(name, value);
		return this;
	}

	/**
	 * A client-supplied value made safe to echo in a problem detail: at most 80 characters,
	 * control characters replaced.
	 * @param value the value as received
	 * @return the value to echo
	 */
	public static String echo(String value) {
		StringBuilder echo = new StringBuilder(Math.min(value.length(), ECHO_LIMIT + 1));
		for (int i = 0; i < value.length() && i < ECHO_LIMIT; i++) {
			char c = value.charAt(i);
			echo.append(Character.isISOControl(c) ? '\uFFFD' : c);
		}
		if (value.length() > ECHO_LIMIT) {
			echo.append('\u2026');
		}
		return echo.toString();
	}

	@Override
	public String getMessage() {
		return getBody().getDetail();
	}

}
