package io.github.ssestarter.test;

import java.io.IOException;
import java.io.Reader;
import java.time.Duration;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The event stream interpretation of the HTML standard ("9.2.6 Interpreting an event
 * stream"), fed a whole stream or one line at a time: fields,
 * comments, the last event id buffer carried over between events, {@code retry} with
 * digits only, ids containing NUL ignored, and a block without data not dispatched.
 */
final class SseEventParser {

	private final Consumer<SseReceivedEvent> events;

	private final Consumer<String> comments;

	private final StringBuilder data = new StringBuilder();

	private boolean hasData;

	private String eventType = "";

	private String lastEventId = "";

	private @Nullable Duration retry;

	private @Nullable Duration reconnectionTime;

	private boolean first = true;

	SseEventParser(Consumer<SseReceivedEvent> events, Consumer<String> comments) {
		this.events = events;
		this.comments = comments;
	}

	/**
	 * Feed a whole stream, splitting lines on CR, LF and CRLF; a last line without its
	 * line end (the stream was cut) is discarded, as the standard says.
	 * @param in the stream's characters
	 * @throws IOException if reading fails
	 */
	void read(Reader in) throws IOException {
		StringBuilder buffer = new StringBuilder();
		boolean afterCarriageReturn = false;
		int c;
		while ((c = in.read()) != -1) {
			if (c == '\r') {
				line(buffer.toString());
				buffer.setLength(0);
				afterCarriageReturn = true;
			}
			else if (c == '\n') {
				if (!afterCarriageReturn) {
					line(buffer.toString());
					buffer.setLength(0);
				}
				afterCarriageReturn = false;
			}
			else {
				buffer.append((char) c);
				afterCarriageReturn = false;
			}
		}
	}

	void line(String raw) {
		String line = raw;
		if (this.first) {
			this.first = false;
			if (line.startsWith("\uFEFF")) {
				line = line.substring(1); // a leading byte order mark is skipped
			}
		}
		if (line.isEmpty()) {
			dispatch();
			return;
		}
		if (line.charAt(0) == ':') {
			this.comments.accept(line.substring(1).startsWith(" ") ? line.substring(2) : line.substring(1));
			return;
		}
		int colon = line.indexOf(':');
		String field = (colon < 0) ? line : line.substring(0, colon);
		String value = (colon < 0) ? "" : line.substring(colon + 1);
		if (value.startsWith(" ")) {
			value = value.substring(1);
		}
		switch (field) {
			case "event" -> this.eventType = value;
			case "data" -> {
				this.data.append(value).append('\n');
				this.hasData = true;
			}
			case "id" -> {
				if (value.indexOf('\0') < 0) {
					this.lastEventId = value;
				}
			}
			case "retry" -> {
				if (!value.isEmpty() && value.chars().allMatch((c) -> c >= '0' && c <= '9')) {
					try {
						this.retry = Duration.ofMillis(Long.parseLong(value));
						this.reconnectionTime = this.retry;
					}
					catch (NumberFormatException ex) {
						// beyond any usable delay: ignored
					}
				}
			}
			default -> {
				// unknown fields are ignored
			}
		}
	}

	private void dispatch() {
		Duration blockRetry = this.retry;
		this.retry = null;
		if (!this.hasData) {
			this.eventType = "";
			return;
		}
		this.data.setLength(this.data.length() - 1); // the last line feed
		String name = this.eventType.isEmpty() ? SseReceivedEvent.DEFAULT_NAME : this.eventType;
		this.events.accept(new SseReceivedEvent(this.lastEventId, name, this.data.toString(), blockRetry));
		this.data.setLength(0);
		this.hasData = false;
		this.eventType = "";
	}

	/** The reconnection time last set by a {@code retry} field, or {@code null}. */
	@Nullable Duration reconnectionTime() {
		return this.reconnectionTime;
	}

}
