package io.github.ssestarter.engine;

import java.util.Locale;

/**
 * Why a stream was sent an {@code sse.reset} event instead of some events: the client
 * cannot be given exactly what it missed and should refetch its state. Used as the
 * {@code reason} of the event's data and as the {@code reason} tag of reset counts.
 *
 * @since 0.2.0
 */
public enum ResetReason {

	/** The client resumed from an id this history never issued (another server, a restart, or made up). */
	UNKNOWN,

	/** The client resumed from an id whose following events have left the history. */
	EXPIRED,

	/** The history could not be read (its store is down). */
	UNAVAILABLE,

	/** The stream fell behind and the history no longer holds the next event it needed. */
	LAGGED,

	/** The overflow policy ({@code drop-oldest}, {@code drop-newest}) discarded events meant for the stream. */
	DROPPED;

	/**
	 * The value sent to clients and used as the tag.
	 * @return the lower-case name
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

}
