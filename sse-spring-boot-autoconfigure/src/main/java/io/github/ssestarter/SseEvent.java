package io.github.ssestarter;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * An event to publish: an optional SSE event name, the data and an optional reconnection
 * delay hint. The server assigns the event id when the event is published.
 * <p>
 * Data that is a {@link CharSequence} is sent as is; any other object is written as JSON
 * with the application's Jackson {@code JsonMapper}; {@code null} is sent as empty data.
 * Multi-line data is split into one {@code data:} line per line, so every line break
 * ({@code CR}, {@code LF} or {@code CRLF}) reaches the client as {@code LF}.
 * <p>
 * Instances are immutable and may be published any number of times, to any topics.
 *
 * <pre>{@code
 * sse.sendToUser("alice", SseEvent.of("notification.created", Map.of("message", "Hello")));
 * }</pre>
 *
 * @since 0.1.0
 */
public final class SseEvent {

	/** Longest event name accepted, in characters. */
	public static final int MAX_NAME_LENGTH = 200;

	private final @Nullable String name;

	private final @Nullable Object data;

	private final @Nullable Duration retry;

	private SseEvent(@Nullable String name, @Nullable Object data, @Nullable Duration retry) {
		this.name = name;
		this.data = data;
		this.retry = retry;
	}

	/**
	 * Create an event with a name and data.
	 * @param name the event name, e.g. {@code notification.created}
	 * @param data the data: text sent as is, anything else as JSON, {@code null} as empty data
	 * @return the event
	 * @throws IllegalArgumentException if the name is empty, too long, or contains CR, LF or NUL
	 */
	public static SseEvent of(String name, @Nullable Object data) {
		return builder().name(name).data(data).build();
	}

	/**
	 * Create an unnamed event (the client's {@code message} event) carrying data only.
	 * @param data the data: text sent as is, anything else as JSON, {@code null} as empty data
	 * @return the event
	 */
	public static SseEvent ofData(@Nullable Object data) {
		return new SseEvent(null, data, null);
	}

	/**
	 * Start building an event.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The event name, or {@code null} for an unnamed event.
	 * @return the event name
	 */
	public @Nullable String name() {
		return this.name;
	}

	/**
	 * The data as given by the publisher.
	 * @return the data, possibly {@code null}
	 */
	public @Nullable Object data() {
		return this.data;
	}

	/**
	 * The reconnection delay sent to the client with this event ({@code retry:} field).
	 * @return the delay, or {@code null} when the event carries none
	 */
	public @Nullable Duration retry() {
		return this.retry;
	}

	@Override
	public String toString() {
		return "SseEvent[name=" + this.name + ", retry=" + this.retry + "]";
	}

	/**
	 * Check an SSE field value (an event name or id): it must not be empty, longer than
	 * {@code maxLength}, or contain CR, LF or NUL, which would end the field early and let
	 * the value inject fields or whole events into the stream.
	 * @param field what the value is, for the error message
	 * @param value the value
	 * @param maxLength the longest value accepted
	 * @return the value
	 * @throws IllegalArgumentException if the value is not acceptable
	 */
	public static String requireFieldValue(String field, @Nullable String value, int maxLength) {
		if (value == null || value.isEmpty()) {
			throw new IllegalArgumentException("SSE " + field + " must not be empty");
		}
		if (value.length() > maxLength) {
			throw new IllegalArgumentException(
					"SSE " + field + " is " + value.length() + " characters long; the limit is " + maxLength);
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '\r' || c == '\n' || c == '\0') {
				throw new IllegalArgumentException("SSE " + field + " must not contain CR, LF or NUL (found "
						+ (c == '\0' ? "NUL" : (c == '\r' ? "CR" : "LF")) + " at index " + i + ")");
			}
		}
		return value;
	}

	/**
	 * Builds an {@link SseEvent}; values are checked when set.
	 *
	 * @since 0.1.0
	 */
	public static final class Builder {

		private @Nullable String name;

		private @Nullable Object data;

		private @Nullable Duration retry;

		private Builder() {
		}

		/**
		 * Set the event name ({@code event:} field).
		 * @param name the name; not empty, at most {@value #MAX_NAME_LENGTH} characters, no CR, LF or NUL
		 * @return this builder
		 * @throws IllegalArgumentException if the name is not acceptable
		 */
		public Builder name(String name) {
			this.name = requireFieldValue("event name", name, MAX_NAME_LENGTH);
			return this;
		}

		/**
		 * Set the data: text is sent as is, anything else as JSON, {@code null} as empty data.
		 * @param data the data
		 * @return this builder
		 */
		public Builder data(@Nullable Object data) {
			this.data = data;
			return this;
		}

		/**
		 * Set the reconnection delay hint sent with the event ({@code retry:} field).
		 * @param retry a delay from 0 to {@code Integer.MAX_VALUE} milliseconds
		 * @return this builder
		 * @throws IllegalArgumentException if the delay is negative or too long
		 */
		public Builder retry(Duration retry) {
			Objects.requireNonNull(retry, "retry");
			if (retry.isNegative() || retry.toMillis() > Integer.MAX_VALUE) {
				throw new IllegalArgumentException("SSE retry must be between 0 and " + Integer.MAX_VALUE + " ms, was " + retry);
			}
			this.retry = retry;
			return this;
		}

		/**
		 * Build the event.
		 * @return the event
		 */
		public SseEvent build() {
			return new SseEvent(this.name, this.data, this.retry);
		}

	}

}
