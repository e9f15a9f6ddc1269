package io.github.ssestarter.benchmarks.servers;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The pattern users write by hand today: a map of emitters and a loop that calls
 * {@code send} for each, on the publishing thread.
 */
final class HandRolledVariant implements Variant {

	static final Map<String, SseEmitter> EMITTERS = new ConcurrentHashMap<>();

	private static final AtomicLong DROPPED = new AtomicLong();

	private long sequence;

	@Override
	public int start() {
		return Servers.port(Servers.start(App.class, "tomcat", "sse.enabled=false"));
	}

	@Override
	public void publish(String data) {
		String id = Long.toString(++this.sequence);
		for (Map.Entry<String, SseEmitter> entry : EMITTERS.entrySet()) {
			try {
				entry.getValue().send(SseEmitter.event().id(id).data(data));
			}
			catch (IOException | IllegalStateException ex) {
				EMITTERS.remove(entry.getKey());
				DROPPED.incrementAndGet();
			}
		}
	}

	@Override
	public int connections() {
		return EMITTERS.size();
	}

	@Override
	public long dropped() {
		return DROPPED.get();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(Stream.class)
	static class App {

	}

	@RestController
	static class Stream {

		@GetMapping("/stream")
		SseEmitter stream() {
			String id = UUID.randomUUID().toString();
			SseEmitter emitter = new SseEmitter(Long.MAX_VALUE);
			emitter.onCompletion(() -> EMITTERS.remove(id));
			emitter.onError((ex) -> EMITTERS.remove(id));
			EMITTERS.put(id, emitter);
			return emitter;
		}

	}

}
