package io.github.ssestarter.web;

import java.time.Duration;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.github.ssestarter.engine.CloseReason;
import io.github.ssestarter.engine.SseConnection;
import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.engine.SseSubscription;

/**
 * {@code GET /api/v1/sse} (path from {@code sse.web.path}): opens a stream.
 * <p>
 * Answers {@code 200 text/event-stream} with caching and proxy buffering turned off. The
 * emitter's timeout is always set, a little beyond the stream's maximum lifetime, so the
 * container's default async timeout never ends a stream with an error; the engine ends it
 * first, with a retry hint.
 *
 * @since 0.1.0
 */
@RestController
public class SseStreamController {

	private static final Duration TIMEOUT_MARGIN = Duration.ofMinutes(1);

	private final SseEngine engine;

	private final int maxTopics;

	private final long emitterTimeoutMillis;

	/**
	 * Create the controller.
	 * @param engine the engine
	 * @param maxTopics how many topics a stream may request
	 * @param maxLifetime how long a stream may stay open
	 */
	public SseStreamController(SseEngine engine, int maxTopics, Duration maxLifetime) {
		this.engine = engine;
		this.maxTopics = maxTopics;
		this.emitterTimeoutMillis = maxLifetime.plus(TIMEOUT_MARGIN).toMillis();
	}

	/**
	 * Open a stream.
	 * @param request the request
	 * @return the streaming response
	 */
	@GetMapping("${sse.web.path:/api/v1/sse}")
	public ResponseEntity<SseEmitter> stream(HttpServletRequest request) {
		SseSubscription subscription = SseStreamRequest.parse(request, this.maxTopics);
		SseEmitter emitter = new SseEmitter(this.emitterTimeoutMillis);
		SseConnection connection = this.engine.open(subscription, new SseEmitterTransport(emitter));
		if (connection != null) {
			emitter.onCompletion(() -> connection.transportClosed(CloseReason.CLIENT));
			emitter.onError((ex) -> connection.transportClosed(CloseReason.CLIENT));
			emitter.onTimeout(() -> {
				connection.transportClosed(CloseReason.TIMEOUT);
				emitter.complete(); // completes the request now, so no timeout error is dispatched
			});
		}
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noCache().noTransform())
			.header("X-Accel-Buffering", "no")
			.contentType(MediaType.TEXT_EVENT_STREAM)
			.body(emitter);
	}

}
