package io.github.ssestarter.web;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseService;
import io.github.ssestarter.SseTopics;
import io.github.ssestarter.backplane.SseBackplaneException;
import io.github.ssestarter.security.SsePublishGuard;

/**
 * {@code POST /api/v1/sse/events}: publish an event over HTTP.
 * <p>
 * Body: {@code {"topics":["notifications","user:alice"],"event":"name","data":<any JSON>,"retry":5000}},
 * or {@code "broadcast":true} instead of {@code topics}. A JSON string in {@code data} is
 * sent as its text; any other JSON value is sent as JSON. Answers {@code 202} with
 * {@code {"id":"<event id>"}}. Every mistake is a 400 problem detail naming the field.
 * The {@link SsePublishGuard} decides who may publish (401/403). On by default only when
 * Spring Security is active ({@code sse.web.publish.enabled}).
 *
 * @since 0.1.0
 */
@RestController
public class SsePublishController {

	private static final List<String> FIELDS = List.of("topics", "broadcast", "event", "data", "retry");

	private static final int JSON_OVERHEAD = 64 * 1024;

	private final SseService sse;

	private final JsonMapper jsonMapper;

	private final long maxBodyBytes;

	private final SsePublishGuard guard;

	/**
	 * Create the controller.
	 * @param sse publishes the events
	 * @param jsonMapper parses request bodies
	 * @param maxEventSize the largest encoded event accepted
	 * @param guard decides who may publish
	 */
	public SsePublishController(SseService sse, JsonMapper jsonMapper, long maxEventSize, SsePublishGuard guard) {
		this.sse = sse;
		this.jsonMapper = jsonMapper;
		this.maxBodyBytes = maxEventSize + JSON_OVERHEAD;
		this.guard = guard;
	}

	/**
	 * Publish an event.
	 * @param request the request
	 * @return {@code 202} with the event id
	 * @throws IOException if the body cannot be read
	 */
	@PostMapping("${sse.web.path:/api/v1/sse}/events")
	public ResponseEntity<Map<String, String>> publish(HttpServletRequest request) throws IOException {
		checkPermission(request);
		checkContentType(request);
		JsonNode body = parse(readBody(request));
		SseEvent event = event(body);
		JsonNode broadcast = body.get("broadcast");
		JsonNode topics = body.get("topics");
		boolean toEveryone = broadcast != null && booleanField(broadcast);
		if (toEveryone == (topics != null)) {
			throw badRequest("missing-topics",
					"Give either \"topics\" (a non-empty array of topic names) or \"broadcast\": true, not both.");
		}
		try {
			String id = toEveryone ? this.sse.broadcast(event) : this.sse.publish(topics(topics), event);
			return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("id", id));
		}
		catch (SseBackplaneException ex) {
			throw new SseRequestException(HttpStatus.SERVICE_UNAVAILABLE, "backplane-unavailable",
					"The event could not be published: " + ex.getMessage() + ". Retry later.", ex);
		}
		catch (IllegalArgumentException ex) {
			throw badRequest("invalid-event", ex.getMessage());
		}
	}

	private void checkPermission(HttpServletRequest request) {
		switch (this.guard.check(request)) {
			case UNAUTHENTICATED -> throw new SseRequestException(HttpStatus.UNAUTHORIZED, "unauthenticated",
					"Publishing requires an authenticated user with the publish permission.");
			case FORBIDDEN -> throw new SseRequestException(HttpStatus.FORBIDDEN, "publish-forbidden",
					"You are not allowed to publish events: it requires the publish permission "
							+ "(sse.security.publish-authority).");
			case ALLOWED -> {
			}
		}
	}

	/**
	 * JSON only: besides saying what the body is, it keeps cross-site forms out, since a
	 * browser sends {@code application/json} to another origin only after a CORS preflight.
	 */
	private static void checkContentType(HttpServletRequest request) {
		String contentType = request.getContentType();
		if (contentType == null) {
			throw unsupportedMediaType();
		}
		MediaType type;
		try {
			type = MediaType.parseMediaType(contentType);
		}
		catch (IllegalArgumentException ex) {
			type = MediaType.APPLICATION_OCTET_STREAM;
		}
		if (!type.isCompatibleWith(MediaType.APPLICATION_JSON) && !type.getSubtype().endsWith("+json")) {
			throw unsupportedMediaType();
		}
	}

	private static SseRequestException unsupportedMediaType() {
		return new SseRequestException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
				"Send the event as JSON with Content-Type: application/json.");
	}

	private byte[] readBody(HttpServletRequest request) throws IOException {
		if (request.getContentLengthLong() > this.maxBodyBytes) {
			throw tooLarge();
		}
		try (InputStream in = request.getInputStream()) {
			byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, this.maxBodyBytes + 1));
			if (body.length > this.maxBodyBytes) {
				throw tooLarge();
			}
			return body;
		}
	}

	private SseRequestException tooLarge() {
		return new SseRequestException(HttpStatus.CONTENT_TOO_LARGE, "too-large",
				"The request body is larger than " + this.maxBodyBytes
						+ " bytes; raise sse.max-event-size to publish larger events.");
	}

	private JsonNode parse(byte[] body) {
		if (body.length == 0) {
			throw badRequest("malformed-json", "The request body is empty; send a JSON object such as "
					+ "{\"topics\":[\"news\"],\"event\":\"news.published\",\"data\":{}}.");
		}
		JsonNode node;
		try {
			node = this.jsonMapper.readTree(body);
		}
		catch (JacksonException ex) {
			throw badRequest("malformed-json", "The request body is not valid JSON: " + ex.getOriginalMessage()
					+ ((ex.getLocation() != null) ? " (line " + ex.getLocation().getLineNr() + ", column "
							+ ex.getLocation().getColumnNr() + ")" : "")
					+ ".");
		}
		if (node == null || !node.isObject()) {
			throw badRequest("malformed-json", "The request body must be a JSON object.");
		}
		for (String field : node.propertyNames()) {
			if (!FIELDS.contains(field)) {
				String echo = SseRequestException.echo(field);
				throw badRequest("unknown-field", "Unknown field \"" + echo + "\"; the fields are " + FIELDS + ".")
					.with("field", echo);
			}
		}
		return node;
	}

	private static SseEvent event(JsonNode body) {
		SseEvent.Builder event = SseEvent.builder();
		JsonNode name = body.get("event");
		if (name != null && !name.isNull()) {
			if (!name.isString()) {
				throw badRequest("invalid-event", "\"event\" must be a string (the SSE event name).");
			}
			try {
				event.name(name.asString());
			}
			catch (IllegalArgumentException ex) {
				throw badRequest("invalid-event", "Invalid \"event\": " + ex.getMessage() + ".");
			}
		}
		JsonNode retry = body.get("retry");
		if (retry != null && !retry.isNull()) {
			if (!retry.isIntegralNumber() || !retry.canConvertToLong() || retry.asLong() < 0
					|| retry.asLong() > Integer.MAX_VALUE) {
				throw badRequest("invalid-retry",
						"\"retry\" must be a whole number of milliseconds from 0 to " + Integer.MAX_VALUE + ".");
			}
			event.retry(Duration.ofMillis(retry.asLong()));
		}
		JsonNode data = body.get("data");
		if (data != null && !data.isNull()) {
			event.data(data.isString() ? data.asString() : data);
		}
		return event.build();
	}

	private static List<String> topics(JsonNode topics) {
		if (!topics.isArray() || topics.isEmpty()) {
			throw badRequest("missing-topics", "\"topics\" must be a non-empty array of topic names.");
		}
		List<String> names = new ArrayList<>(topics.size());
		for (Iterator<JsonNode> it = topics.iterator(); it.hasNext();) {
			JsonNode topic = it.next();
			if (!topic.isString()) {
				throw badRequest("invalid-topic", "Every entry of \"topics\" must be a string; found " + topic.getNodeType() + ".");
			}
			String error = SseTopics.syntaxError(topic.asString());
			if (error != null) {
				String echo = SseRequestException.echo(topic.asString());
				throw badRequest("invalid-topic", "Invalid topic '" + echo + "': " + error).with("topic", echo);
			}
			names.add(topic.asString());
		}
		return names;
	}

	private static boolean booleanField(JsonNode node) {
		if (!node.isBoolean()) {
			throw badRequest("invalid-broadcast", "\"broadcast\" must be true or false.");
		}
		return node.asBoolean();
	}

	private static SseRequestException badRequest(String type, String detail) {
		return new SseRequestException(HttpStatus.BAD_REQUEST, type, detail);
	}

}
