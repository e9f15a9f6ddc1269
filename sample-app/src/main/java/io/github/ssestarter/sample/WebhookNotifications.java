package io.github.ssestarter.sample;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseService;

/**
 * A webhook that turns an incoming call from another system into a notification for a user:
 * {@code POST /api/webhooks/notifications} with header {@code X-Webhook-Secret} and body
 * {@code {"user":"alice","message":"Your order shipped"}}.
 */
@RestController
class WebhookNotifications {

	private final SseService sse;

	private final byte[] secret;

	WebhookNotifications(SseService sse, @Value("${sample.webhook.secret}") String secret) {
		this.sse = sse;
		this.secret = secret.getBytes(StandardCharsets.UTF_8);
	}

	@PostMapping(path = "/api/webhooks/notifications", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<?> notify(@RequestHeader(name = "X-Webhook-Secret", required = false) String secret,
			@RequestBody JsonNode body) {
		if (secret == null || !MessageDigest.isEqual(this.secret, secret.getBytes(StandardCharsets.UTF_8))) {
			return problem(HttpStatus.UNAUTHORIZED, "Send the shared secret in the X-Webhook-Secret header.");
		}
		JsonNode user = body.get("user");
		JsonNode message = body.get("message");
		if (user == null || !user.isString() || user.asString().isBlank() || message == null || !message.isString()) {
			return problem(HttpStatus.BAD_REQUEST,
					"Send {\"user\":\"<user name>\",\"message\":\"<text>\"}; both are required strings.");
		}
		Map<String, Object> notification = new LinkedHashMap<>();
		notification.put("message", message.asString());
		notification.put("source", "webhook");
		String id = this.sse.sendToUser(user.asString(), SseEvent.of("notification.created", notification));
		return ResponseEntity.accepted().body(Map.of("id", id));
	}

	private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setInstance(URI.create("/api/webhooks/notifications"));
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

}
