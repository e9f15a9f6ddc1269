package io.github.ssestarter.web;

import java.io.IOException;
import java.util.Set;

import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.github.ssestarter.engine.SseTransport;

/**
 * Writes pre-encoded SSE bytes through an {@link SseEmitter} as they are: one
 * {@code send} of a single item is one write and one flush. The bytes go through the
 * byte-array message converter untouched (the media type only selects it).
 *
 * @since 0.1.0
 */
final class SseEmitterTransport implements SseTransport {

	private final SseEmitter emitter;

	SseEmitterTransport(SseEmitter emitter) {
		this.emitter = emitter;
	}

	@Override
	public void write(byte[] bytes) throws IOException {
		this.emitter.send(Set.of(new DataWithMediaType(bytes, MediaType.TEXT_PLAIN)));
	}

	@Override
	public void complete() {
		this.emitter.complete();
	}

	@Override
	public boolean confirmsCompletion() {
		return true; // the controller reports the emitter's onCompletion
	}

}
