package io.github.ssestarter.backplane;

/**
 * An event could not be published because the backplane is unavailable.
 *
 * @since 0.1.0
 */
public class SseBackplaneException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param message what failed
	 * @param cause the underlying failure
	 */
	public SseBackplaneException(String message, Throwable cause) {
		super(message, cause);
	}

	/**
	 * Create an exception.
	 * @param message what failed
	 */
	public SseBackplaneException(String message) {
		super(message);
	}

}
