package io.github.ssestarter.engine;

/**
 * A user already has {@code sse.limits.max-connections-per-user} streams open and the
 * policy is {@link PerUserLimitPolicy#REJECT}.
 *
 * @since 0.1.0
 */
public class SseUserLimitException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** The limit that was reached. */
	private final int maxConnectionsPerUser;

	/**
	 * Create the exception.
	 * @param maxConnectionsPerUser the limit
	 */
	public SseUserLimitException(int maxConnectionsPerUser) {
		super("This user already has " + maxConnectionsPerUser + " streams open (sse.limits.max-connections-per-user)");
		this.maxConnectionsPerUser = maxConnectionsPerUser;
	}

	/**
	 * The limit that was reached.
	 * @return streams per user
	 */
	public int maxConnectionsPerUser() {
		return this.maxConnectionsPerUser;
	}

}
