package io.github.ssestarter.engine;

/**
 * The outcome of queueing a frame for one client.
 *
 * @since 0.1.0
 */
public enum OfferResult {

	/** Queued; it will be written or counted as dropped later. */
	ACCEPTED,

	/** Discarded by the overflow policy (counted). */
	DROPPED,

	/** The stream is closing or closed. */
	CLOSED

}
