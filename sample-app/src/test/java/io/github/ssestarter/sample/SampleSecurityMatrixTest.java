package io.github.ssestarter.sample;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.ssestarter.test.SseTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may do what in the sample, over real HTTP: anonymous, alice, bob and admin against
 * their own user topic, another user's, a public topic, a forbidden one, an order topic
 * (an application rule), and publishing. Every refusal is a problem detail.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.clock.enabled=false")
class SampleSecurityMatrixTest {

	@LocalServerPort
	int port;

	@ParameterizedTest(name = "{0} opens {1}: {2}")
	@CsvSource({
			// who, topic, status, why a 403 (the problem's refusal)
			"anonymous, user:alice, 401, -",
			"anonymous, notifications, 401, -",
			"anonymous, payroll, 401, -",
			"alice, user:alice, 200, -",
			"alice, user:bob, 403, reserved",
			"alice, notifications, 200, -",
			"alice, news.tech, 200, -",
			"alice, payroll, 403, not-granted",
			"alice, order:42, 200, -",
			"alice, order:43, 403, denied",
			"alice, client:x, 403, reserved",
			"bob, user:bob, 200, -",
			"bob, user:alice, 403, reserved",
			"bob, notifications, 200, -",
			"bob, payroll, 403, not-granted",
			"bob, order:42, 403, denied",
			"admin, user:admin, 200, -",
			"admin, user:alice, 403, reserved",
			"admin, notifications, 200, -",
			"admin, payroll, 403, not-granted" })
	void subscribing(String who, String topic, int status, String refusal) throws Exception {
		SampleHttp http = new SampleHttp(this.port);
		Map<String, String> credentials = "anonymous".equals(who) ? Map.of() : SampleHttp.basic(who);
		if (status == 200) {
			try (SseTestClient stream = http.open("/api/v1/sse?topics=" + topic, credentials)) {
				assertThat(stream.awaitResponse().status()).isEqualTo(200);
				assertThat(stream.awaitEvent("sse.connected").data()).contains("\"" + topic + "\"");
			}
			return;
		}
		HttpResponse<String> response = http.get("/api/v1/sse?topics=" + topic, credentials);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.headers().firstValue("Location")).as("never a login redirect").isEmpty();
		if (status == 403) {
			assertThat(response.body()).contains("\"refusal\":\"" + refusal + "\"");
		}
	}

	@ParameterizedTest(name = "{0} publishes: {1}")
	@CsvSource({ "anonymous, 401", "alice, 403", "bob, 403", "admin, 202" })
	void publishing(String who, int status) throws Exception {
		Map<String, String> credentials = "anonymous".equals(who) ? Map.of() : SampleHttp.basic(who);
		HttpResponse<String> response = new SampleHttp(this.port).publish(credentials,
				"{\"topics\":[\"notifications\"],\"data\":\"from " + who + "\"}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		if (status != 202) {
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		}
	}

	@Test
	void userEventsReachOnlyTheirUser() throws Exception {
		SampleHttp http = new SampleHttp(this.port);
		try (SseTestClient alice = http.open("/api/v1/sse", SampleHttp.basic("alice"));
				SseTestClient bob = http.open("/api/v1/sse", SampleHttp.basic("bob"))) {
			alice.awaitEvent("sse.connected");
			bob.awaitEvent("sse.connected");
			http.publish(SampleHttp.basic("admin"), "{\"topics\":[\"user:alice\"],\"event\":\"secret\",\"data\":\"a\"}");
			http.publish(SampleHttp.basic("admin"), "{\"topics\":[\"user:bob\"],\"event\":\"secret\",\"data\":\"b\"}");
			assertThat(alice.awaitEvent("secret").data()).isEqualTo("a");
			assertThat(bob.awaitEvent("secret").data()).isEqualTo("b");
		}
	}

	@Test
	void actuatorIsForAdminsWithHealthStatusPublic() throws Exception {
		SampleHttp http = new SampleHttp(this.port);
		HttpResponse<String> anonymousHealth = http.get("/actuator/health", Map.of("Accept", "application/json"));
		assertThat(anonymousHealth.statusCode()).isEqualTo(200);
		assertThat(anonymousHealth.body()).contains("\"status\":\"UP\"") // in memory: no Redis needed
			.doesNotContain("maxConnections");
		assertThat(http.get("/actuator/health", basic("admin")).body()).contains("\"sse\"", "maxConnections");
		assertThat(http.get("/actuator/prometheus", basic("alice")).statusCode()).isEqualTo(403);
		Map<String, String> scraper = new java.util.HashMap<>(SampleHttp.basic("admin"));
		scraper.put("Accept", "text/plain");
		assertThat(http.get("/actuator/prometheus", scraper).body()).contains("sse_connections_active");
		assertThat(http.get("/actuator/sse", basic("admin")).body()).contains("busiestTopics");
		assertThat(http.get("/actuator/sse", basic("bob")).statusCode()).isEqualTo(403);
	}

	@Test
	void theSixthStreamOfAUserIsRefusedWith429() throws Exception {
		SampleHttp http = new SampleHttp(this.port);
		List<SseTestClient> streams = new ArrayList<>();
		try {
			for (int i = 0; i < 5; i++) {
				SseTestClient stream = http.open("/api/v1/sse", SampleHttp.basic("admin"));
				stream.awaitEvent("sse.connected");
				streams.add(stream);
			}
			HttpResponse<String> sixth = http.get("/api/v1/sse", SampleHttp.basic("admin"));
			assertThat(sixth.statusCode()).isEqualTo(429);
			assertThat(sixth.headers().firstValue("Retry-After")).isPresent();
			assertThat(sixth.body()).contains("sse.limits.max-connections-per-user");
		}
		finally {
			for (SseTestClient stream : streams) {
				stream.close();
			}
		}
	}

	private static Map<String, String> basic(String user) {
		Map<String, String> headers = new java.util.HashMap<>(SampleHttp.basic(user));
		headers.put("Accept", "application/json");
		return headers;
	}

}
