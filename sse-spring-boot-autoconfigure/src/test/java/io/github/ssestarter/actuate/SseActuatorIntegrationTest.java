package io.github.ssestarter.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;

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
import io.github.ssestarter.engine.SseSubscription;
import io.github.ssestarter.support.RecordingTransport;
import io.github.ssestarter.test.SseTestClient;
import io.github.ssestarter.testapp.plain.SseTestApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Prometheus, health and the {@code sse} endpoint of a running application, over HTTP. */
@SpringBootTest(classes = SseTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,prometheus,sse",
				"management.endpoint.health.show-details=always" })
class SseActuatorIntegrationTest {

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

	private HttpResponse<String> get(String path) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String json) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create(url(path)))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void prometheusExportsEveryMeterAndStreamsStayOutOfHttpServerRequests() throws Exception {
		try (SseTestClient client = SseTestClient.connect(url("/api/v1/sse?topics=scraped"))) {
			String clientId = this.jsonMapper.readTree(client.awaitEvent("sse.connected").data()).get("clientId").asString();
			this.sse.publish("scraped", SseEvent.ofData("x"));
			client.awaitEvent();
			String scrape = get("/actuator/prometheus").body();
			assertThat(scrape).contains("sse_connections_active ", "sse_topics_active ", "sse_users_online ",
					"sse_queue_pending_bytes ", "sse_connections_opened_total ",
					"sse_connections_closed_total{reason=\"client\"}", "sse_connections_closed_total{reason=\"limit\"}",
					"sse_events_published_total ", "sse_events_delivered_total ",
					"sse_events_dropped_total{reason=\"queue_full\"}",
					"sse_events_dropped_total{reason=\"disconnected\"}", "sse_events_replayed_total ",
					"sse_events_caught_up_total ", "sse_catchups_total ", "sse_resets_total{reason=\"lagged\"}",
					"sse_resets_total{reason=\"dropped\"}", "sse_resets_total{reason=\"unknown\"}",
					"sse_resets_total{reason=\"expired\"}", "sse_resets_total{reason=\"unavailable\"}",
					"sse_delivery_latency_seconds_count ", "sse_delivery_latency_seconds_max ");
			assertThat(value(scrape, "sse_connections_active")).isEqualTo(this.engine.registry().connectionCount())
				.isPositive();
			// The server ends the stream: an observed request would be recorded now.
			this.sse.disconnectClient(clientId);
			client.awaitEnd(Duration.ofSeconds(10));
		}
		await().until(() -> this.engine.liveConnections() == this.engine.registry().connectionCount());
		String afterwards = get("/actuator/prometheus").body();
		assertThat(afterwards).contains("uri=\"/actuator/prometheus\"").doesNotContain("uri=\"/api/v1/sse\"");
	}

	private static double value(String scrape, String name) {
		return scrape.lines()
			.filter((line) -> line.startsWith(name + " "))
			.mapToDouble((line) -> Double.parseDouble(line.substring(name.length() + 1)))
			.findFirst()
			.orElseThrow();
	}

	@Test
	void healthIsUpWithDetails() throws Exception {
		JsonNode sse = this.jsonMapper.readTree(get("/actuator/health").body()).get("components").get("sse");
		assertThat(sse.get("status").asString()).isEqualTo("UP");
		JsonNode details = sse.get("details");
		assertThat(details.get("maxConnections").asInt()).isEqualTo(10_000);
		assertThat(details.has("connections")).isTrue();
		assertThat(details.has("capacityUsed")).isTrue();
		assertThat(details.get("backplane").get("status").asString()).isEqualTo("UP");
	}

	@Test
	void theEndpointListsBusiestTopicsAndConnectionsAndDisconnectsThem() throws Exception {
		try (SseTestClient first = SseTestClient.connect(url("/api/v1/sse?topics=popular,rare"));
				SseTestClient second = SseTestClient.connect(url("/api/v1/sse?topics=popular"))) {
			String clientId = this.jsonMapper.readTree(first.awaitEvent("sse.connected").data()).get("clientId").asString();
			second.awaitEvent("sse.connected");
			JsonNode summary = this.jsonMapper.readTree(get("/actuator/sse").body());
			assertThat(summary.get("connections").asInt()).isGreaterThanOrEqualTo(2);
			JsonNode busiest = summary.get("busiestTopics").get(0);
			assertThat(busiest.get("topic").asString()).isEqualTo("popular");
			assertThat(busiest.get("subscribers").asInt()).isEqualTo(2);
			assertThat(summary.get("dropped").has("queue_full")).isTrue();
			assertThat(summary.get("resets").has("lagged")).isTrue();
			assertThat(summary.has("catchUps")).isTrue();
			assertThat(summary.has("caughtUp")).isTrue();

			JsonNode connection = this.jsonMapper.readTree(get("/actuator/sse/" + clientId).body());
			assertThat(connection.get("topics").toString())
				.isEqualTo("[\"popular\",\"rare\",\"client:" + clientId + "\"]");
			assertThat(connection.get("state").asString()).isEqualTo("open");
			assertThat(get("/actuator/sse/no-such-client").statusCode()).isEqualTo(404);

			HttpResponse<String> disconnected = post("/actuator/sse", "{\"clientId\":\"" + clientId + "\"}");
			assertThat(this.jsonMapper.readTree(disconnected.body()).get("disconnected").asInt()).isEqualTo(1);
			first.awaitEnd(Duration.ofSeconds(10));
			assertThat(second.hasEnded()).isFalse();
		}
	}

	@Test
	void theEndpointDisconnectsEveryStreamOfAUser() throws Exception {
		RecordingTransport tab1 = new RecordingTransport();
		RecordingTransport tab2 = new RecordingTransport();
		this.engine.open(new SseSubscription("carol", null, Set.of(), null), tab1);
		this.engine.open(new SseSubscription("carol", null, Set.of(), null), tab2);
		HttpResponse<String> response = post("/actuator/sse", "{\"userId\":\"carol\"}");
		assertThat(this.jsonMapper.readTree(response.body()).get("disconnected").asInt()).isEqualTo(2);
		await().until(() -> tab1.isCompleted() && tab2.isCompleted());
		// presence lets a leaver go after sse.presence.leave-delay (5 s by default)
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.sse.isUserOnline("carol"));
		for (String body : List.of("{}", "{\"clientId\":\"a\",\"userId\":\"b\"}")) {
			assertThat(post("/actuator/sse", body).statusCode()).as(body).isEqualTo(400);
		}
	}

}
