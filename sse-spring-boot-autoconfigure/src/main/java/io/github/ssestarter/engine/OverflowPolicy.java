package io.github.ssestarter.engine;

/**
 * What happens when events reach a client whose queue is full ({@code sse.buffer.*}).
 * Whatever the policy, a client never misses an event silently: it receives every event
 * once, in order, or an {@code sse.reset} event at the exact place of a gap.
 *
 * @since 0.1.0
 */
public enum OverflowPolicy {

	/**
	 * The default: the stream stops taking live events and, once it has written what it
	 * had queued, reads what it missed from the history (the same history that serves
	 * {@code Last-Event-ID}), page by page, and rejoins the live flow at an exact seam.
	 * Only when the history no longer holds the next event does the client get
	 * {@code sse.reset} with reason {@code lagged}.
	 * @since 0.2.0
	 */
	CATCH_UP,

	/**
	 * Discard the oldest queued events to make room: the client sees the newest state,
	 * after an {@code sse.reset} with reason {@code dropped} that says how many it missed.
	 */
	DROP_OLDEST,

	/**
	 * Discard the new event: the client sees an older, contiguous prefix, then an
	 * {@code sse.reset} with reason {@code dropped} before the next event it receives.
	 */
	DROP_NEWEST,

	/**
	 * End the stream after the last event it wrote; the browser reconnects with
	 * {@code Last-Event-ID} and is replayed what it missed, if still in the history.
	 */
	DISCONNECT

}
