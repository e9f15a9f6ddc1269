package io.github.ssestarter.web;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.github.ssestarter.engine.SseEngine;
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
 * off, and the response stays open in asynchronous, non-blocking mode. The async timeout
 * is always set, a little beyond the stream's maximum lifetime, so the container's default
 * async timeout never ends a stream with an error; the engine ends it first, with a retry
 * hint.
 *
 * @since 0.1.0
 */
@RestController
public class SseStreamController {

	private final SseStreamOpener opener;

	private final Settings settings;

	/**
	 * Create the controller.
	 * @param engine the engine
	 * @param principalResolver finds the user behind a request
	 * @param topicAccess decides who may have which topic
	 * @param settings request limits and anonymous access
	 */
	public SseStreamController(SseEngine engine, SsePrincipalResolver principalResolver, SseTopicAccess topicAccess,
			Settings settings) {
		this.opener = new SseStreamOpener(engine, principalResolver, topicAccess, settings.maxLifetime(),
				settings.trimContainerBuffers());
		this.settings = settings;
	}

	SseStreamOpener opener() {
		return this.opener;
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
		SseSubscriber subscriber = this.opener.subscriber(request);
		if (subscriber.userId() == null && !this.settings.anonymousAllowed()) {
			throw new SseRequestException(HttpStatus.UNAUTHORIZED, "unauthenticated",
					"Opening a stream requires an authenticated user: log in first, or send a bearer token "
							+ "(an EventSource cannot send headers: use the access_token query parameter).");
		}
		SseRequestException refused = this.opener.refusal(subscriber, parsed.topics(), false);
		if (refused != null) {
			throw refused;
		}
		this.opener.open(request, response, subscriber, parsed.topics(), parsed.lastEventId());
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
