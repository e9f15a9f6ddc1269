package io.github.ssestarter.encode;

import io.github.ssestarter.SseEvent;

/**
 * Turns an {@link SseEvent} into the bytes of an SSE block, once per published event.
 * Implementations must follow the SSE wire format: UTF-8, LF line ends, one {@code data:}
 * line per line of data (splitting on CR, LF and CRLF), one space after each colon, and a
 * blank line at the end. The id line is added later by the event store.
 * <p>
 * Declare a bean of this type to replace the default, for example to serialize data
 * another way.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface SseEventEncoder {

	/**
	 * Encode the event's fields without the id.
	 * @param event the event
	 * @return the encoded event
	 * @throws IllegalArgumentException if the data cannot be serialized
	 */
	EncodedEvent encode(SseEvent event);

}
