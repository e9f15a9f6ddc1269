package io.github.ssestarter.web;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.github.ssestarter.SseTopics;
import io.github.ssestarter.engine.CloseReason;
import io.github.ssestarter.engine.SseConnection;
import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.engine.SseSubscription;
import io.github.ssestarter.engine.SseUserLimitException;
import io.github.ssestarter.security.SsePrincipalResolver;
import io.github.ssestarter.security.SseSubscriber;
import io.github.ssestarter.security.SseTopicAccess;

/**
 * {@code GET /api/v1/sse} (path from {@code sse.web.path}): opens a stream.
 * <p>
 * Checks, in order: the request's syntax (400), that an anonymous client is allowed (401),
 * that the client may have every topic it asks for (403), and the user's stream limit
 * (429). The user id is captured here, on the request thread, for the stream's whole life.
 * Then it answers {@code 200 text/event-stream} with caching and proxy buffering turned
 * off, and the response stays open in asynchronous, non-blocking mode
 * ({@link ServletSseTransport}). The async timeout is always set, a little beyond the
 * stream's maximum lifetime, so the container's default async timeout never ends a stream
 * with an error; the engine ends it first, with a retry hint.
 *
 * @since 0.1.0
 */
@RestController
public class SseStreamController {

	private static final Duration TIMEOUT_MARGIN = Duration.ofMinutes(1);

	/** Seconds a client refused by the per-user limit is asked to wait ({@code Retry-After}). */
	static final int USER_LIMIT_RETRY_AFTER_SECONDS = 30;

	private final SseEngine engine;

	private final SsePrincipalResolver principalResolver;

	private final SseTopicAccess topicAccess;

	private final Settings settings;

	private final long asyncTimeoutMillis;

	/**
	 * Create the controller.
	 * @param engine the engine
	 * @param principalResolver finds the user behind a request
	 * @param topicAccess decides who may have which topic
	 * @param settings request limits and anonymous access
	 */
	public SseStreamController(SseEngine engine, SsePrincipalResolver principalResolver, SseTopicAccess topicAccess,
			Settings settings) {
		this.engine = engine;
		this.principalResolver = principalResolver;
		this.topicAccess = topicAccess;
		this.settings = settings;
		this.asyncTimeoutMillis = settings.maxLifetime().plus(TIMEOUT_MARGIN).toMillis();
	}

	/**
	 * Open a stream.
	 * @param request the request
	 * @param response the response, written by the engine from now on
	 * @throws IOException if the response cannot be streamed
	 */
	@GetMapping("${sse.web.path:/api/v1/sse}")
	public void stream(HttpServletRequest request, HttpServletResponse response) throws IOException {
		SseStreamRequest.Parsed parsed = SseStreamRequest.parse(request, this.settings.maxTopics());
		String userId = this.principalResolver.resolveUserId(request);
		if (userId == null && !this.settings.anonymousAllowed()) {
			throw new SseRequestException(HttpStatus.UNAUTHORIZED, "unauthenticated",
					"Opening a stream requires an authenticated user: log in first, or send a bearer token "
							+ "(an EventSource cannot send headers: use the access_token query parameter).");
		}
		HttpSession session = request.getSession(false);
		SseSubscriber subscriber = new SseSubscriber(userId, (session != null) ? session.getId() : null,
				(userId != null) ? request.getUserPrincipal() : null);
		String refused = this.topicAccess.firstRefused(subscriber, parsed.topics());
		if (refused != null) {
			throw forbidden(refused);
		}
		ServletSseTransport transport = new ServletSseTransport(request, response, this.settings.trimContainerBuffers());
		SseConnection connection;
		try {
			connection = this.engine.open(
					new SseSubscription(userId, subscriber.sessionId(), parsed.topics(), parsed.lastEventId()),
					transport);
		}
		catch (SseUserLimitException ex) {
			SseRequestException tooMany = new SseRequestException(HttpStatus.TOO_MANY_REQUESTS, "too-many-streams",
					"You already have " + ex.maxConnectionsPerUser() + " streams open "
							+ "(sse.limits.max-connections-per-user); close one, for example another tab, and retry.");
			tooMany.getHeaders().set(HttpHeaders.RETRY_AFTER, Integer.toString(USER_LIMIT_RETRY_AFTER_SECONDS));
			throw tooMany;
		}
		if (connection == null) {
			return; // refused (shutting down or full): the transport already wrote why
		}
		try {
			transport.begin(this.asyncTimeoutMillis);
		}
		catch (IOException | RuntimeException ex) {
			connection.transportClosed(CloseReason.ERROR);
			throw ex;
		}
	}

	private static SseRequestException forbidden(String topic) {
		String detail = SseTopics.isReserved(topic)
				? "Topic '" + topic + "' is reserved: user:, session: and client: topics are assigned by the server to "
						+ "their owner and cannot be requested. Your own user and session topics are added automatically."
				: "You may not subscribe to topic '" + topic + "': it is not a public topic (sse.security.allowed-topics) "
						+ "and no rule of this application grants it to you.";
		return new SseRequestException(HttpStatus.FORBIDDEN, "forbidden-topic", detail).with("topic", topic);
	}

	/**
	 * The stream endpoint's settings.
	 *
	 * @param maxTopics how many topics a stream may request
	 * @param maxLifetime how long a stream may stay open
	 * @param anonymousAllowed whether unauthenticated clients may open streams
	 * @param trimContainerBuffers whether to release the container's buffers a stream
	 * never uses while it is open (Tomcat)
	 */
	public record Settings(int maxTopics, Duration maxLifetime, boolean anonymousAllowed,
			boolean trimContainerBuffers) {
	}

}
