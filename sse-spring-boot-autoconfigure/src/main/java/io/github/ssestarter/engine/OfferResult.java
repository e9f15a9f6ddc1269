package io.github.ssestarter.engine;

/**
 * What became of a frame offered to a stream.
 *
 * @since 0.1.0
 */
public enum OfferResult {

	/** Queued for writing. */
	ACCEPTED,

	/** Not queued: the stream is catching up and will read the event from the history. @since 0.2.0 */
	DEFERRED,

	/** Discarded by the overflow policy (a protocol frame on a full queue is discarded without notice). */
	DROPPED,

	/** Refused: the stream is closing. */
	CLOSED

}
