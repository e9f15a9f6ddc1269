package io.github.ssestarter.web;

import java.security.Principal;
import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;

import io.github.ssestarter.SseTopics;
import io.github.ssestarter.encode.EncodedEvent;
import io.github.ssestarter.engine.SseSubscription;

/**
 * Reads and checks what a client asks for when it opens a stream: topics from
 * {@code ?topics=a,b} and repeated {@code ?topic=a}, and the id to resume after from the
 * {@code Last-Event-ID} header (sent by a browser on its automatic reconnects, so it wins)
 * or the {@code lastEventId} query parameter (for a page that opens a fresh EventSource).
 * <p>
 * Reserved topics are the server's to assign: a client may name its own {@code user:} or
 * {@code session:} topic (it has it anyway) but never someone else's, nor any
 * {@code client:} topic.
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

	static SseSubscription parse(HttpServletRequest request, int maxTopics) {
		Principal principal = request.getUserPrincipal();
		String userId = (principal != null) ? principal.getName() : null;
		HttpSession session = request.getSession(false);
		String sessionId = (session != null) ? session.getId() : null;
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
		for (String topic : topics) {
			checkReserved(topic, userId, sessionId);
		}
		return new SseSubscription(userId, sessionId, topics, lastEventId(request));
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

	private static void checkReserved(String topic, @Nullable String userId, @Nullable String sessionId) {
		if (!SseTopics.isReserved(topic)) {
			return;
		}
		boolean own = (userId != null && topic.equals(SseTopics.USER_PREFIX + userId))
				|| (sessionId != null && topic.equals(SseTopics.SESSION_PREFIX + sessionId));
		if (!own) {
			throw new SseRequestException(HttpStatus.FORBIDDEN, "forbidden-topic", "Topic '" + topic
					+ "' is reserved: user:, session: and client: topics are assigned by the server to their owner "
					+ "and cannot be requested. Your own user and session topics are added automatically.")
				.with("topic", topic);
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
