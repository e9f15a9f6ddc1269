package io.github.ssestarter.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;

import io.github.ssestarter.SseEvent;

/**
 * Turns what {@link org.springframework.web.servlet.mvc.method.annotation.SseEmitter.SseEventBuilder}
 * builds (text fragments of the SSE format, and the data objects between them) back into
 * an {@link SseEvent}, so that an application's {@code emitter.send(event().name(..).data(..))}
 * goes through the engine like any published event.
 */
final class SseEmitterEvents {

	/** Stands for a data object in the reassembled text (a private-use character). */
	private static final char OBJECT = '\uE000';

	private SseEmitterEvents() {
	}

	/**
	 * The event the parts describe.
	 * @param parts what {@code SseEventBuilder.build()} returned
	 * @return the event, or {@code null} when it has no data (a comment, or a name or retry
	 * hint alone), which a browser would not dispatch
	 * @throws IllegalArgumentException for an id (the server assigns ids), or data that
	 * mixes an object with text
	 */
	static @Nullable SseEvent toEvent(Set<DataWithMediaType> parts) {
		StringBuilder text = new StringBuilder();
		List<Object> objects = new ArrayList<>();
		for (DataWithMediaType part : parts) {
			if (part.getData() instanceof String fragment) {
				text.append(fragment);
			}
			else {
				text.append(OBJECT);
				objects.add(part.getData());
			}
		}
		SseEvent.Builder event = SseEvent.builder();
		List<String> data = new ArrayList<>();
		for (String line : text.toString().split("\r\n|\r|\n")) {
			int colon = line.indexOf(':');
			String field = (colon < 0) ? line : line.substring(0, colon);
			String value = (colon < 0) ? "" : line.substring(colon + 1);
			if (value.startsWith(" ")) {
				value = value.substring(1);
			}
			switch (field) {
				case "event" -> event.name(value);
				case "data" -> data.add(value);
				case "retry" -> event.retry(Duration.ofMillis(Long.parseLong(value)));
				case "id" -> throw new IllegalArgumentException("An SseStream assigns event ids itself (they order the "
						+ "stream and let a client resume): send the event without id(..)");
				default -> {
					// a comment or an empty line: nothing to publish
				}
			}
		}
		if (data.isEmpty() && objects.isEmpty()) {
			return null;
		}
		return event.data(data(data, objects)).build();
	}

	private static @Nullable Object data(List<String> lines, List<Object> objects) {
		if (objects.isEmpty()) {
			return String.join("\n", lines);
		}
		if (objects.size() == 1 && lines.size() == 1 && lines.get(0).equals(String.valueOf(OBJECT))) {
			return objects.get(0);
		}
		throw new IllegalArgumentException("An event's data is either one object (sent as JSON) or text; "
				+ "send them as separate events");
	}

}
