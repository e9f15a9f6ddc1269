package io.github.ssestarter.benchmarks.servers;

import java.util.UUID;

import ch.rasc.sse.eventbus.SseEvent;
import ch.rasc.sse.eventbus.SseEventBus;
import ch.rasc.sse.eventbus.config.EnableSseEventBus;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** {@code ch.rasc:sse-eventbus} 2.0.1, the best-known Spring SSE library, with string data. */
final class EventBusVariant implements Variant {

	private SseEventBus eventBus;

	@Override
	public int start() {
		ConfigurableApplicationContext context = Servers.start(App.class, "tomcat", "sse.enabled=false");
		this.eventBus = context.getBean(SseEventBus.class);
		return Servers.port(context);
	}

	@Override
	public void publish(String data) {
		this.eventBus.handleEvent(SseEvent.builder().event("bench").data(data).build());
	}

	@Override
	public int connections() {
		return this.eventBus.getAllClientIds().size();
	}

	@Override
	public long dropped() {
		return -1;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableSseEventBus
	@Import(Stream.class)
	static class App {

		@Bean
		com.fasterxml.jackson.databind.ObjectMapper jackson2ObjectMapper() {
			return new com.fasterxml.jackson.databind.ObjectMapper();
		}

	}

	@RestController
	static class Stream {

		private final SseEventBus eventBus;

		Stream(SseEventBus eventBus) {
			this.eventBus = eventBus;
		}

		@GetMapping("/stream")
		SseEmitter stream() {
			return this.eventBus.createSseEmitter(UUID.randomUUID().toString(), Long.MAX_VALUE, "bench");
		}

	}

}
