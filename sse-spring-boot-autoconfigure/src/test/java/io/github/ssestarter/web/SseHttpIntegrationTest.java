package io.github.ssestarter.web;

import java.io.BufferedReader;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseService;
import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.store.SseEventStore;
import io.github.ssestarter.support.RawSseStream;
import io.github.ssestarter.test.SseReceivedEvent;
import io.github.ssestarter.test.SseTestClient;
import io.github.ssestarter.testapp.plain.SseTestApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP contract over real HTTP on a random port, read by the test kit's client and by a
 * raw socket.
 */
@SpringBootTest(classes = SseTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.web.publish.enabled=true", "sse.max-event-size=128KB", "sse.replay.max-events=10000" })
class SseHttpIntegrationTest {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	SseService sse;

	@Autowired
	SseEngine engine;

	@Autowired
	SseEventStore store;

	@Autowired
	JsonMapper jsonMapper;

	private String url(String pathAndQuery) {
		return "http://localhost:" + this.port + pathAndQuery;
	}

	@Test
	void streamAnswersWithEventStreamHeadersAndTheFirstBytesLeaveAtOnce() throws Exception {
		// The headers arrive although no event has been published: the opening comment is flushed at once.
		HttpResponse<InputStream> response = RawSseStream.open(url("/api/v1/sse?topics=headers"));
		try (BufferedReader body = RawSseStream.lines(response)) {
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
					(type) -> assertThat(type).startsWith("text/event-stream"));
			assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache, no-transform");
			assertThat(response.headers().firstValue("X-Accel-Buffering")).hasValue("no");
			assertThat(body.readLine()).isEqualTo(": connected");
			assertThat(body.readLine()).isEmpty();
			assertThat(body.readLine()).isEqualTo("retry: 3000");
			assertThat(body.readLine()).isEmpty();
			assertThat(body.readLine()).startsWith("id: ");
			assertThat(body.readLine()).isEqualTo("event: sse.connected");
			JsonNode connected = this.jsonMapper.readTree(body.readLine().substring("data: ".length()));
			String clientId = connected.get("clientId").asString();
			assertThat(connected.get("topics").toString()).isEqualTo("[\"headers\",\"client:" + clientId + "\"]");
			assertThat(body.readLine()).isEmpty();
		}
	}

	@Test
	void eventsReachTheirTopicsSubscribersOnly() throws Exception {
		try (SseTestClient a = SseTestClient.connect(url("/api/v1/sse?topics=room-a"));
				SseTestClient b = SseTestClient.connect(url("/api/v1/sse?topic=room-b&topic=shared"));
				SseTestClient both = SseTestClient.connect(url("/api/v1/sse?topics=room-a,room-b"))) {
			a.awaitEvent("sse.connected");
			b.awaitEvent("sse.connected");
			both.awaitEvent("sse.connected");
			String id = this.sse.publish("room-a", SseEvent.of("chat.message", Map.of("text", "for a")));
			this.sse.publish(List.of("room-a", "room-b"), SseEvent.of("chat.message", "for a and b"));
			SseReceivedEvent first = a.awaitEvent();
			assertThat(first).isEqualTo(new SseReceivedEvent(id, "chat.message", "{\"text\":\"for a\"}", null));
			assertThat(a.awaitEvent().data()).isEqualTo("for a and b");
			assertThat(b.awaitEvent().data()).isEqualTo("for a and b"); // b never saw the room-a event
			assertThat(both.awaitEvents(2)).extracting(SseReceivedEvent::data).containsExactly("{\"text\":\"for a\"}", "for a and b");
		}
	}

	@Test
	void publishOverHttpReturnsTheIdOfTheEventClientsReceive() throws Exception {
		try (SseTestClient client = SseTestClient.connect(url("/api/v1/sse?topics=http-news"))) {
			client.awaitEvent("sse.connected");
			HttpResponse<String> response = post("{\"topics\":[\"http-news\"],\"event\":\"news.published\","
					+ "\"data\":{\"title\":\"Hi\"},\"retry\":5000}");
			assertThat(response.statusCode()).isEqualTo(202);
			String id = this.jsonMapper.readTree(response.body()).get("id").asString();
			assertThat(client.awaitEvent()).isEqualTo(
					new SseReceivedEvent(id, "news.published", "{\"title\":\"Hi\"}", Duration.ofSeconds(5)));
			HttpResponse<String> text = post("{\"broadcast\":true,\"data\":\"plain text\"}");
			assertThat(text.statusCode()).isEqualTo(202);
			String textId = this.jsonMapper.readTree(text.body()).get("id").asString();
			assertThat(client.awaitEvent()).isEqualTo(new SseReceivedEvent(textId, "message", "plain text", null));
		}
	}

	@Test
	void reconnectingClientsGetExactlyTheEventsTheyMissedWhilePublishingGoesOn() throws Exception {
		List<String> published = new CopyOnWriteArrayList<>();
		AtomicBoolean publishing = new AtomicBoolean(true);
		Thread publisher = new Thread(() -> {
			for (int n = 0; n < 3000; n++) {
				published.add(this.sse.publish("resume", SseEvent.of("tick", Integer.toString(n))));
				if (n % 20 == 0) {
					sleep(1);
				}
			}
			publishing.set(false);
		});
		List<String> received = new ArrayList<>();
		String lastEventId = null;
		int connections = 0;
		try {
			while (publishing.get() || received.size() < published.size()) {
				// Alternate between the header (a browser's reconnect) and the query parameter (a new page).
				String query = "/api/v1/sse?topics=resume";
				Map<String, String> headers = Map.of();
				if (lastEventId != null && connections % 2 == 0) {
					headers = Map.of("Last-Event-ID", lastEventId);
				}
				else if (lastEventId != null) {
					query += "&lastEventId=" + lastEventId;
				}
				try (SseTestClient client = SseTestClient.connect(url(query), headers)) {
					SseReceivedEvent connected = client.awaitEvent("sse.connected");
					if (lastEventId != null) {
						assertThat(connected.id()).isEqualTo(lastEventId);
					}
					if (connections++ == 0) {
						publisher.start(); // every event is published after the first client subscribed
					}
					int take = ThreadLocalRandom.current().nextInt(1, 400);
					long lastProgress = System.nanoTime();
					// The last event can arrive before the publisher has recorded it and stopped: poll,
					// and check again whether anything is still to come, instead of waiting for one more.
					for (int i = 0; i < take && (publishing.get() || received.size() < published.size());) {
						SseReceivedEvent event = client.poll(Duration.ofMillis(100));
						if (event == null) {
							assertThat(System.nanoTime() - lastProgress).as("no event for 10 s; received %s of %s",
									received.size(), published.size())
								.isLessThan(Duration.ofSeconds(10).toNanos());
							continue;
						}
						assertThat(event.name()).isEqualTo("tick");
						received.add(event.id());
						lastEventId = event.id();
						lastProgress = System.nanoTime();
						i++;
					}
				}
			}
		}
		finally {
			publishing.set(false);
			publisher.join();
		}
		assertThat(connections).isGreaterThan(5);
		assertThat(received).containsExactlyElementsOf(published);
	}

	@Test
	void anUnknownLastEventIdGetsOneResetThenLiveEvents() throws Exception {
		String position = this.store.latestId();
		try (SseTestClient client = SseTestClient.connect(url("/api/v1/sse?topics=reset-me"),
				Map.of("Last-Event-ID", "from-another-life-42"))) {
			SseReceivedEvent connected = client.awaitEvent("sse.connected");
			SseReceivedEvent reset = client.awaitEvent();
			assertThat(reset.name()).isEqualTo("sse.reset");
			assertThat(reset.data()).isEqualTo("{\"reason\":\"unknown\",\"lastEventId\":\"from-another-life-42\"}");
			// The notice keeps the client's id until the reset moves it to where the stream joined the flow.
			assertThat(connected.id()).isEqualTo("from-another-life-42");
			assertThat(reset.id()).isEqualTo(position);
			String id = this.sse.publish("reset-me", SseEvent.ofData("live"));
			assertThat(client.awaitEvent()).isEqualTo(new SseReceivedEvent(id, "message", "live", null));
		}
	}

	@Test
	void invalidTopicsAreBadRequestsThatNameTheTopic() throws Exception {
		assertProblem(get("/api/v1/sse?topics=ok,bad%20topic"), 400, "Invalid topic 'bad topic'", "bad topic");
		assertProblem(get("/api/v1/sse?topics=a,,b"), 400, "must not be empty", "");
		assertProblem(get("/api/v1/sse?topic=" + "x".repeat(201)), 400, "at most 200 characters", null);
		assertProblem(get("/api/v1/sse?topic=%C3%A9t%C3%A9"), 400, "Invalid topic 'été'", "été");
		assertProblem(get("/api/v1/sse?topic=a%0Ab"), 400, "Invalid topic", null);
		StringBuilder many = new StringBuilder("/api/v1/sse?topics=t0");
		for (int i = 1; i <= 20; i++) {
			many.append(",t").append(i);
		}
		assertProblem(get(many.toString()), 400, "at most 20 topics", "t20");
	}

	@Test
	void reservedTopicsAreForbidden() throws Exception {
		assertProblem(get("/api/v1/sse?topic=user:alice"), 403, "Topic 'user:alice' is reserved", "user:alice");
		assertProblem(get("/api/v1/sse?topics=news,client:123"), 403, "Topic 'client:123' is reserved", "client:123");
		assertProblem(get("/api/v1/sse?topic=session:ABC"), 403, "reserved", "session:ABC");
	}

	@Test
	void malformedLastEventIdsAreBadRequests() throws Exception {
		HttpResponse<String> header = HTTP.send(HttpRequest.newBuilder(URI.create(url("/api/v1/sse")))
			.header("Last-Event-ID", "has space")
			.build(), HttpResponse.BodyHandlers.ofString());
		assertProblem(header, 400, "header Last-Event-ID", null);
		assertProblem(get("/api/v1/sse?lastEventId=" + "9".repeat(300)), 400, "query parameter lastEventId", null);
	}

	@Test
	void publishErrorsAreBadRequestsThatSayWhatToFix() throws Exception {
		assertProblem(post("{\"topics\":[\"a\"],"), 400, "not valid JSON", null);
		assertProblem(post(""), 400, "empty", null);
		assertProblem(post("[1,2]"), 400, "must be a JSON object", null);
		assertProblem(post("{\"data\":1}"), 400, "Give either \"topics\"", null);
		assertProblem(post("{\"topics\":[],\"data\":1}"), 400, "non-empty array", null);
		assertProblem(post("{\"topics\":[\"a\"],\"broadcast\":true}"), 400, "not both", null);
		assertProblem(post("{\"topics\":[\"bad topic\"]}"), 400, "Invalid topic 'bad topic'", "bad topic");
		assertProblem(post("{\"topics\":[42]}"), 400, "must be a string", null);
		assertProblem(post("{\"topics\":[\"a\"],\"event\":\"x\\nevent: injected\"}"), 400, "must not contain CR, LF",
				null);
		assertProblem(post("{\"topics\":[\"a\"],\"event\":7}"), 400, "\"event\" must be a string", null);
		assertProblem(post("{\"topics\":[\"a\"],\"retry\":-1}"), 400, "\"retry\" must be a whole number", null);
		assertProblem(post("{\"topics\":[\"a\"],\"retry\":1.5}"), 400, "\"retry\" must be a whole number", null);
		assertProblem(post("{\"topic\":[\"a\"]}"), 400, "Unknown field \"topic\"", null);
		assertProblem(post("{\"broadcast\":\"yes\"}"), 400, "\"broadcast\" must be true or false", null);
		HttpResponse<String> wrongType = HTTP.send(HttpRequest.newBuilder(URI.create(url("/api/v1/sse/events")))
			.header("Content-Type", "text/plain")
			.POST(HttpRequest.BodyPublishers.ofString("{}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertProblem(wrongType, 415, "application/json", null);
		String huge = "{\"topics\":[\"a\"],\"data\":\"" + "x".repeat(300 * 1024) + "\"}";
		assertProblem(post(huge), 413, "sse.max-event-size", null);
		assertThat(this.engine.counters().published()).as("nothing was published by a bad request").isNotNegative();
	}

	private HttpResponse<String> get(String pathAndQuery) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create(url(pathAndQuery)))
			.header("Accept", "text/event-stream")
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String json) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create(url("/api/v1/sse/events")))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private void assertProblem(HttpResponse<String> response, int status, String detail, String topic) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = this.jsonMapper.readTree(response.body());
		assertThat(problem.get("status").asInt()).isEqualTo(status);
		assertThat(problem.get("detail").asString()).contains(detail);
		assertThat(problem.get("type").asString()).startsWith(SseRequestException.TYPE_BASE);
		if (topic != null) {
			assertThat(problem.get("topic").asString()).isEqualTo(topic);
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
