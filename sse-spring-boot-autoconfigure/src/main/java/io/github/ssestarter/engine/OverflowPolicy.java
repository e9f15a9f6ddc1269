package io.github.ssestarter.engine;

/**
 * What happens when an event reaches a client whose queue is full ({@code sse.buffer.*}).
 *
 * @since 0.1.0
 */
public enum OverflowPolicy {

	/** Discard the oldest queued events to make room: the client sees the newest state. */
	DROP_OLDEST,

	/** Discard the new event: the client sees an older, contiguous prefix. */
	DROP_NEWEST,

	/** Close the slow client's stream; it reconnects and resumes from the history. */
	DISCONNECT

}
