package io.github.ssestarter.testapp.streams;

import java.security.Principal;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseService;
import io.github.ssestarter.web.SseStream;

/**
 * An application that opens streams from its own controllers (Spring Boot's default
 * security chain: everything authenticated, HTTP Basic).
 */
@SpringBootApplication
public class StreamsTestApplication {

	@Bean
	InMemoryUserDetailsManager users() {
		return new InMemoryUserDetailsManager(User.withUsername("alice").password("{noop}alice").roles("USER").build(),
				User.withUsername("bob").password("{noop}bob").roles("USER").build());
	}

	/** What the streams' callbacks reported, in order. */
	@Bean
	BlockingQueue<String> callbacks() {
		return new LinkedBlockingQueue<>();
	}

	@RestController
	static class OrderEvents {

		private static final Map<Long, String> OWNERS = Map.of(42L, "alice", 43L, "bob");

		private final SseService sse;

		private final BlockingQueue<String> callbacks;

		OrderEvents(SseService sse, BlockingQueue<String> callbacks) {
			this.sse = sse;
			this.callbacks = callbacks;
		}

		@GetMapping("/orders/{id}/events")
		SseEmitter orderEvents(@PathVariable long id, Principal user) {
			String owner = OWNERS.get(id);
			if (owner == null) {
				throw new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no order " + id);
			}
			if (!owner.equals(user.getName())) {
				throw new ResponseStatusException(HttpStatus.FORBIDDEN, "Order " + id + " is not yours");
			}
			return this.sse.stream("order:" + id);
		}

		@GetMapping("/peek/{user}")
		SseStream peek(@PathVariable String user) {
			return this.sse.stream("user:" + user);
		}

		@GetMapping("/greeting")
		SseEmitter greeting() throws Exception {
			SseStream stream = this.sse.stream("greetings");
			stream.send(SseEmitter.event().name("hello").data(Map.of("to", "you")));
			stream.send("plain text");
			stream.onCompletion(() -> this.callbacks.add("greeting completed"));
			stream.complete();
			return stream;
		}

		/** Publishes to the stream's topic after creating the stream and before returning it. */
		@GetMapping("/busy")
		SseEmitter busy() {
			SseStream stream = this.sse.stream("busy");
			this.callbacks.add(this.sse.publish("busy", SseEvent.of("during", "published while the controller ran")));
			return stream;
		}

		@GetMapping("/watched")
		SseEmitter watched() {
			SseStream stream = this.sse.stream("watched");
			stream.onCompletion(() -> this.callbacks.add("watched completed"));
			stream.onError((failure) -> this.callbacks.add("watched error"));
			return stream;
		}

		@GetMapping("/spring-emitter")
		SseEmitter springEmitter() {
			SseEmitter emitter = new SseEmitter();
			new Thread(() -> {
				try {
					emitter.send(SseEmitter.event().name("spring").data("Spring MVC's own emitter"));
					emitter.complete();
				}
				catch (Exception ex) {
					emitter.completeWithError(ex);
				}
			}, "spring-emitter").start();
			return emitter;
		}

	}

}
