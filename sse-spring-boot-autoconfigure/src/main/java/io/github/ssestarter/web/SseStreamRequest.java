package io.github.ssestarter.web;

import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;

import io.github.ssestarter.SseTopics;
import io.github.ssestarter.encode.EncodedEvent;

/**
 * Reads and checks the syntax of what a client asks for when it opens a stream: topics
 * from {@code ?topics=a,b} and repeated {@code ?topic=a}, and the id to resume after from
 * the {@code Last-Event-ID} header (sent by a browser on its automatic reconnects, so it
 * wins) or the {@code lastEventId} query parameter (for a page that opens a fresh
 * EventSource). Who may have which topic is decided afterwards.
 *
 * @since 0.1.0
 */
final class SseStreamRequest {

	static final String TOPICS_PARAMETER = "topics";

	static final String TOPIC_PARAMETER = "topic";

	static final String LAST_EVENT_ID_HEADER = "Last-Event-ID";

	static final String LAST_EVENT_ID_PARAMETER = "lastEventId";

	private SseStreamRequest() {
	}

	/**
	 * What the request asks for, syntax checked.
	 *
	 * @param topics the requested topics, in order, without duplicates
	 * @param lastEventId the id to resume after, or {@code null}
	 */
	record Parsed(Set<String> topics, @Nullable String lastEventId) {
	}

	static Parsed parse(HttpServletRequest request, int maxTopics) {
		try {
			return parseParameters(request, maxTopics);
		}
		catch (IllegalStateException ex) {
			throw malformedQuery();
		}
	}

	/**
	 * The id to resume after, syntax checked: for streams whose topics the application chose.
	 * @param request the request
	 * @return the id, or {@code null}
	 */
	static @Nullable String parseLastEventId(HttpServletRequest request) {
		try {
			return lastEventId(request);
		}
		catch (IllegalStateException ex) {
			throw malformedQuery();
		}
	}

	private static SseRequestException malformedQuery() {
		// The container could not decode the query string (Tomcat: InvalidParameterException).
		return new SseRequestException(HttpStatus.BAD_REQUEST, "malformed-query",
				"The query string could not be decoded: percent-encode it as UTF-8.");
	}

	private static Parsed parseParameters(HttpServletRequest request, int maxTopics) {
		Set<String> topics = new LinkedHashSet<>();
		String[] lists = request.getParameterValues(TOPICS_PARAMETER);
		if (lists != null) {
			for (String list : lists) {
				for (String topic : list.split(",", -1)) {
					addTopic(topics, topic, maxTopics);
				}
			}
		}
		String[] singles = request.getParameterValues(TOPIC_PARAMETER);
		if (singles != null) {
			for (String topic : singles) {
				addTopic(topics, topic, maxTopics);
			}
		}
		return new Parsed(topics, lastEventId(request));
	}

	private static void addTopic(Set<String> topics, String topic, int maxTopics) {
		String error = SseTopics.syntaxError(topic);
		if (error != null) {
			throw new SseRequestException(HttpStatus.BAD_REQUEST, "invalid-topic",
					"Invalid topic '" + SseRequestException.echo(topic) + "': " + error)
				.with("topic", SseRequestException.echo(topic));
		}
		if (topics.add(topic) && topics.size() > maxTopics) {
			throw new SseRequestException(HttpStatus.BAD_REQUEST, "too-many-topics", "A stream may subscribe to at most "
					+ maxTopics + " topics (sse.web.max-topics); topic '" + topic + "' is one too many.")
				.with("topic", topic)
				.with("maxTopics", maxTopics);
		}
	}

	private static @Nullable String lastEventId(HttpServletRequest request) {
		String header = request.getHeader(LAST_EVENT_ID_HEADER);
		if (header != null && !header.isEmpty()) {
			return checkEventId(header, "header " + LAST_EVENT_ID_HEADER);
		}
		String parameter = request.getParameter(LAST_EVENT_ID_PARAMETER);
		if (parameter != null && !parameter.isEmpty()) {
			return checkEventId(parameter, "query parameter " + LAST_EVENT_ID_PARAMETER);
		}
		return null;
	}

	private static String checkEventId(String id, String source) {
		boolean valid = id.length() <= EncodedEvent.MAX_ID_LENGTH;
		for (int i = 0; valid && i < id.length(); i++) {
			char c = id.charAt(i);
			valid = c > 0x20 && c < 0x7f;
		}
		if (!valid) {
			throw new SseRequestException(HttpStatus.BAD_REQUEST, "invalid-last-event-id",
					"The " + source + " must be an event id received from this server: at most "
							+ EncodedEvent.MAX_ID_LENGTH + " visible ASCII characters. Omit it to start a fresh stream.")
				.with("lastEventId", SseRequestException.echo(id));
		}
		return id;
	}

}
