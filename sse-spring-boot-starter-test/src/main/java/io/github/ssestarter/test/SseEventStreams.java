package io.github.ssestarter.test;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a captured event stream, such as the content of a MockMvc response, by the same
 * rules as {@link SseTestClient}.
 * <pre>{@code
 * MvcResult result = mvc.perform(get("/orders/42/events")).andExpect(request().asyncStarted()).andReturn();
 * sse.publish("order:42", SseEvent.of("order.shipped", "on its way"));
 * await().untilAsserted(() -> assertThat(SseEventStreams.parse(result.getResponse().getContentAsString()))
 *     .extracting(SseReceivedEvent::name).contains("order.shipped"));
 * }</pre>
 *
 * @since 0.3.0
 */
public final class SseEventStreams {

	private SseEventStreams() {
	}

	/**
	 * The events in a stream's text; an unfinished last event is left out.
	 * @param content the stream as received
	 * @return the events, in order
	 */
	public static List<SseReceivedEvent> parse(String content) {
		List<SseReceivedEvent> events = new ArrayList<>();
		SseEventParser parser = new SseEventParser(events::add, (comment) -> {
		});
		try {
			parser.read(new StringReader(content));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex); // a StringReader does not fail
		}
		return events;
	}

}
