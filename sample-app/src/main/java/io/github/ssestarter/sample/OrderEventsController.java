package io.github.ssestarter.sample;

import java.security.Principal;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.github.ssestarter.SseService;

/**
 * A stream per resource, opened from the application's own controller: the events of one
 * order, for its owner. The controller decides who may watch the order (404 for an unknown
 * order, 403 for someone else's, both as problem details); the starter does the rest
 * (replay with {@code Last-Event-ID}, heartbeats, limits, and the user's own topics).
 * Events published to {@code order:<id>} anywhere reach it.
 */
@RestController
class OrderEventsController {

	private final SseService sse;

	private final Orders orders;

	OrderEventsController(SseService sse, Orders orders) {
		this.sse = sse;
		this.orders = orders;
	}

	@GetMapping("/api/orders/{id}/events")
	SseEmitter orderEvents(@PathVariable String id, Principal user) {
		String owner = this.orders.ownerOf(id)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no order " + id + "."));
		if (!owner.equals(user.getName())) {
			throw new ResponseStatusException(HttpStatus.FORBIDDEN, "Order " + id + " is not yours.");
		}
		return this.sse.stream("order:" + id);
	}

}
