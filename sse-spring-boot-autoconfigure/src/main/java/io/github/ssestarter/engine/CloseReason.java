package io.github.ssestarter.engine;

import java.util.Locale;

/**
 * Why a stream ended; used as the {@code reason} tag of closed-connection counts.
 *
 * @since 0.1.0
 */
public enum CloseReason {

	/** The client went away (disconnect, network error on write). */
	CLIENT,

	/** The stream reached its maximum lifetime or the request timed out. */
	TIMEOUT,

	/** The client did not read fast enough (write blocked too long, or its queue overflowed under the disconnect policy). */
	SLOW,

	/** The application or an operator closed it. */
	EVICTED,

	/** A connection limit refused or ended it. */
	LIMIT,

	/** The application is shutting down. */
	SHUTDOWN,

	/** An unexpected error. */
	ERROR,

	/**
	 * The client resumed after an event that this node has not received yet (a node of a
	 * cluster that is behind the one the client came from, or cut off from the backplane):
	 * it was told to come back later, keeping its position.
	 * @since 0.2.0
	 */
	BEHIND,

	/**
	 * The HTTP session the stream was opened in ended: logout, expiry or invalidation.
	 * @since 0.3.0
	 */
	SESSION_ENDED,

	/**
	 * The bearer token that authenticated the stream expired; the client was told to
	 * reconnect with a fresh one.
	 * @since 0.3.0
	 */
	TOKEN_EXPIRED;

	/**
	 * The tag value.
	 * @return the lower-case name
	 */
	public String tagValue() {
		return name().toLowerCase(Locale.ROOT);
	}

}
