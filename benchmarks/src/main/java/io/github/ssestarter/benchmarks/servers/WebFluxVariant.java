package io.github.ssestarter.benchmarks.servers;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Spring WebFlux on Netty: {@code Flux<ServerSentEvent>} from a multicast best-effort sink. */
final class WebFluxVariant implements Variant {

	static final Sinks.Many<ServerSentEvent<String>> SINK = Sinks.many().multicast().directBestEffort();

	static final AtomicInteger CONNECTIONS = new AtomicInteger();

	private static final AtomicLong FAILED = new AtomicLong();

	private long sequence;

	@Override
	public int start() {
		return Servers.port(Servers.start(App.class, "netty", "sse.enabled=false"));
	}

	@Override
	public void publish(String data) {
		Sinks.EmitResult result = SINK
			.tryEmitNext(ServerSentEvent.builder(data).id(Long.toString(++this.sequence)).build());
		if (result.isFailure()) {
			FAILED.incrementAndGet();
		}
	}

	@Override
	public int connections() {
		return CONNECTIONS.get();
	}

	@Override
	public long dropped() {
		return -1; // best effort: a slow subscriber misses events silently
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(Stream.class)
	static class App {

	}

	@RestController
	static class Stream {

		@GetMapping(path = "/stream", produces = "text/event-stream")
		Flux<ServerSentEvent<String>> stream() {
			return SINK.asFlux()
				.doOnSubscribe((s) -> CONNECTIONS.incrementAndGet())
				.doFinally((s) -> CONNECTIONS.decrementAndGet());
		}

	}

}
