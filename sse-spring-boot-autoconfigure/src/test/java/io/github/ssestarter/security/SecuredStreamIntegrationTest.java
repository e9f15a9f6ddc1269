package io.github.ssestarter.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseService;
import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.test.SseReceivedEvent;
import io.github.ssestarter.test.SseTestClient;
import io.github.ssestarter.testapp.secured.SecuredTestApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The starter inside Spring Boot's default security chain (form login and HTTP Basic, all
 * requests authenticated), with no code: problem-detail 401s instead of login redirects,
 * users mapped to their own topics, publishing by authority, and stream ends that
 * dispatch asynchronously through the chain without errors.
 */
@SpringBootTest(classes = SecuredTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.security.allowed-topics=news.*", "sse.limits.max-connections-per-user=3",
				"sse.connection.max-lifetime=2s", "sse.connection.lifetime-jitter=0" })
@ExtendWith(OutputCaptureExtension.class)
class SecuredStreamIntegrationTest {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	SseService sse;

	@Autowired
	SseEngine engine;

	@Autowired
	JsonMapper jsonMapper;

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	private static Map<String, String> basic(String user) {
		String credentials = Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
		return Map.of("Authorization", "Basic " + credentials);
	}

	private HttpResponse<String> get(String path, String accept, Map<String, String> headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).header("Accept", accept);
		headers.forEach(request::header);
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> publish(Map<String, String> headers, String json) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url("/api/v1/sse/events")))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json));
		headers.forEach(request::header);
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private JsonNode problem(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		return this.jsonMapper.readTree(response.body());
	}

	@Test
	void anonymousStreamsGetAProblemDetailNotALoginRedirect() throws Exception {
		for (String accept : List.of("text/event-stream", "text/html", "*/*")) {
			JsonNode problem = problem(get("/api/v1/sse?topics=news.tech", accept, Map.of()), 401);
			assertThat(problem.get("detail").asString()).contains("requires an authenticated user");
		}
		assertThat(problem(publish(Map.of(), "{\"broadcast\":true}"), 401).get("status").asInt()).isEqualTo(401);
		// the rest of the application still has its login page
		assertThat(get("/somewhere", "text/html", Map.of()).statusCode()).isEqualTo(302);
	}

	@Test
	void aUserReceivesTheirOwnTopicAndNobodyElses() throws Exception {
		try (SseTestClient alice = SseTestClient.connect(url("/api/v1/sse?topics=news.tech"), basic("alice"));
				SseTestClient bob = SseTestClient.connect(url("/api/v1/sse"), basic("bob"))) {
			JsonNode connected = this.jsonMapper.readTree(alice.awaitEvent("sse.connected").data());
			assertThat(connected.get("topics").toString()).contains("\"news.tech\"", "\"user:alice\"");
			bob.awaitEvent("sse.connected");
			this.sse.sendToUser("alice", SseEvent.of("private", "for alice"));
			String bobs = this.sse.sendToUser("bob", SseEvent.of("private", "for bob"));
			assertThat(alice.awaitEvent().data()).isEqualTo("for alice");
			assertThat(bob.awaitEvent()).isEqualTo(new SseReceivedEvent(bobs, "private", "for bob", null)); // never alice's
		}
	}

	@Test
	void topicsAreCheckedAgainstOwnershipAndThePublicList() throws Exception {
		Map<String, String> alice = basic("alice");
		assertThat(problem(get("/api/v1/sse?topic=user:bob", "text/event-stream", alice), 403).get("topic")
			.asString()).isEqualTo("user:bob");
		JsonNode notPublic = problem(get("/api/v1/sse?topic=payroll", "text/event-stream", alice), 403);
		assertThat(notPublic.get("detail").asString()).contains("sse.security.allowed-topics");
		try (SseTestClient own = SseTestClient.connect(url("/api/v1/sse?topics=user:alice,news.sport"), alice)) {
			assertThat(own.awaitEvent("sse.connected").data()).contains("news.sport");
		}
	}

	@Test
	void publishingNeedsTheAuthority() throws Exception {
		JsonNode forbidden = problem(publish(basic("bob"), "{\"topics\":[\"news.tech\"],\"data\":\"x\"}"), 403);
		assertThat(forbidden.get("detail").asString()).contains("sse.security.publish-authority");
		try (SseTestClient alice = SseTestClient.connect(url("/api/v1/sse?topics=news.tech"), basic("alice"))) {
			alice.awaitEvent("sse.connected");
			// no CSRF token needed: the endpoint only takes JSON
			HttpResponse<String> accepted = publish(basic("publisher"),
					"{\"topics\":[\"news.tech\"],\"event\":\"headline\",\"data\":\"SSE starter released\"}");
			assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
			assertThat(alice.awaitEvent().data()).isEqualTo("SSE starter released");
		}
	}

	@Test
	void aUserBeyondTheLimitGets429WithRetryAfter() throws Exception {
		List<SseTestClient> streams = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				SseTestClient stream = SseTestClient.connect(url("/api/v1/sse"), basic("carol"));
				stream.awaitEvent("sse.connected");
				streams.add(stream);
			}
			HttpResponse<String> fourth = get("/api/v1/sse", "text/event-stream", basic("carol"));
			assertThat(problem(fourth, 429).get("detail").asString()).contains("sse.limits.max-connections-per-user");
			assertThat(fourth.headers().firstValue("Retry-After")).hasValue("30");
			try (SseTestClient other = SseTestClient.connect(url("/api/v1/sse"), basic("publisher"))) {
				other.awaitEvent("sse.connected"); // other users are not affected
			}
		}
		finally {
			streams.forEach(SseTestClient::close);
		}
	}

	@Test
	void streamsEndedByTheServerDispatchThroughTheChainWithoutErrors(CapturedOutput output) throws Exception {
		try (SseTestClient evicted = SseTestClient.connect(url("/api/v1/sse"), basic("alice"));
				SseTestClient expiring = SseTestClient.connect(url("/api/v1/sse"), basic("bob"))) {
			evicted.awaitEvent("sse.connected");
			expiring.awaitEvent("sse.connected");
			this.sse.disconnectUser("alice"); // completes the response: an ASYNC dispatch through the chain
			assertThat(evicted.awaitEnd(Duration.ofSeconds(10))).isNull();
			assertThat(expiring.awaitEnd(Duration.ofSeconds(10))).as("ended by its maximum lifetime").isNull();
		}
		await().until(() -> this.engine.liveConnections() == 0);
		assertThat(output.getOut() + output.getErr()).doesNotContain("already committed")
			.doesNotContain("AccessDenied")
			.doesNotContain(" ERROR ")
			.doesNotContain(" WARN ");
	}

	@Test
	void underConcurrentLoadAUsersEventsNeverReachAnotherUser() throws Exception {
		List<SseTestClient> aliceStreams = new ArrayList<>();
		List<SseTestClient> bobStreams = new ArrayList<>();
		try {
			for (int i = 0; i < 2; i++) {
				aliceStreams.add(SseTestClient.connect(url("/api/v1/sse?topics=news.shared"), basic("alice")));
				bobStreams.add(SseTestClient.connect(url("/api/v1/sse?topics=news.shared"), basic("bob")));
			}
			for (SseTestClient stream : aliceStreams) {
				stream.awaitEvent("sse.connected");
			}
			for (SseTestClient stream : bobStreams) {
				stream.awaitEvent("sse.connected");
			}
			int perThread = 250;
			List<Thread> publishers = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				int thread = t;
				Thread publisher = new Thread(() -> {
					for (int n = 0; n < perThread; n++) {
						this.sse.sendToUser("alice", SseEvent.of("private", "alice:" + thread + ":" + n));
						this.sse.sendToUser("bob", SseEvent.of("private", "bob:" + thread + ":" + n));
						if (n % 50 == 0) {
							this.sse.publish("news.shared", SseEvent.of("shared", "everyone:" + thread + ":" + n));
						}
					}
				});
				publisher.start();
				publishers.add(publisher);
			}
			for (Thread publisher : publishers) {
				publisher.join();
			}
			int expected = 4 * perThread + 4 * 5; // own events plus the shared ones
			for (SseTestClient stream : aliceStreams) {
				assertOnlyFor(stream, "alice", expected);
			}
			for (SseTestClient stream : bobStreams) {
				assertOnlyFor(stream, "bob", expected);
			}
		}
		finally {
			aliceStreams.forEach(SseTestClient::close);
			bobStreams.forEach(SseTestClient::close);
		}
	}

	private static void assertOnlyFor(SseTestClient stream, String user, int expected) throws InterruptedException {
		java.util.Set<String> seen = new java.util.HashSet<>();
		for (SseReceivedEvent event : stream.awaitEvents(expected)) {
			assertThat(event.data()).as("an event of another user").matches("(" + user + "|everyone):\\d+:\\d+");
			assertThat(seen.add(event.data())).as("delivered twice").isTrue();
		}
		assertThat(stream.poll(Duration.ofMillis(200))).as("nothing more").isNull();
	}

	@Test
	void fuzzedTopicsAreAlways400AndNeverLeakAnything() throws Exception {
		java.util.Random random = new java.util.Random(42);
		Map<String, String> alice = basic("alice");
		List<String> values = new ArrayList<>(List.of("%00", "%0D%0Aevent:%20x", "a%20b", "%C3%28", "%E2%82", "%FF%FE",
				"%F0%9F%98%80", "..%2F..%2Fetc%2Fpasswd%00", "%3Cscript%3E", "%25", "x".repeat(10_000) + "%20", "a,,b", ",",
				"topic%2Cother%00", "%EF%BB%BFtopic", "t%09ab"));
		for (int i = 0; i < 200; i++) {
			StringBuilder value = new StringBuilder();
			int length = 1 + random.nextInt(300);
			for (int j = 0; j < length; j++) {
				value.append(String.format("%%%02X", random.nextInt(256)));
			}
			value.append("%20"); // at least one character no topic may contain
			values.add(value.toString());
		}
		for (String value : values) {
			for (String parameter : List.of("topic", "topics")) {
				HttpResponse<String> response = get("/api/v1/sse?" + parameter + "=" + value, "text/event-stream",
						alice);
				assertThat(response.statusCode()).as(value).isEqualTo(400);
				assertThat(response.body()).as(value)
					.doesNotContain("Exception")
					.doesNotContain("\tat ")
					.doesNotContain("alice");
			}
		}
		assertThat(this.engine.registry().userConnections("alice")).isEmpty();
	}

}
