package io.github.ssestarter.test;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * An event as a client received it, after the WHATWG parsing rules.
 *
 * @param id the last event id in effect when the event was dispatched (as a browser's
 * {@code MessageEvent.lastEventId}: carried over from earlier events without an id), or
 * {@code ""} when none was ever set
 * @param name the event type: {@code "message"} for an event without {@code event:}
 * @param data the data, lines joined with {@code \n}
 * @param retry the reconnection time set in the same block as this event, or {@code null}
 * @since 0.3.0
 */
public record SseReceivedEvent(String id, String name, String data, @Nullable Duration retry) {

	/** The type of an event sent without a name. */
	public static final String DEFAULT_NAME = "message";

	/**
	 * Whether the event has the given name.
	 * @param name the event name
	 * @return {@code true} if it matches
	 */
	public boolean isNamed(String name) {
		return this.name.equals(name);
	}

}
