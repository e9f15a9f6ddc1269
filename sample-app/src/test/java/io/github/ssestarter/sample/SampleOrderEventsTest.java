package io.github.ssestarter.sample;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.ssestarter.test.SseReceivedEvent;
import io.github.ssestarter.test.SseTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/orders/{id}/events}, a stream of the sample's own controller, over real
 * HTTP with the test kit's client.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.clock.enabled=false")
class SampleOrderEventsTest {

	@LocalServerPort
	int port;

	private SseTestClient.Builder request(String who, String order) {
		SseTestClient.Builder request = SseTestClient
			.request("http://localhost:" + this.port + "/api/orders/" + order + "/events");
		return "anonymous".equals(who) ? request : request.basicAuth(who, who);
	}

	@ParameterizedTest(name = "{0} opens order {1}: {2}")
	@CsvSource({ "anonymous, 42, 401", "bob, 42, 403", "alice, 43, 403", "alice, 7, 404", "bob, x, 404" })
	void refusalsAreProblemDetails(String who, String order, int status) {
		try (SseTestClient stream = request(who, order).open()) {
			SseTestClient.Response response = stream.awaitResponse();
			assertThat(response.status()).as(response.body()).isEqualTo(status);
			assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
			assertThat(response.header("Location")).as("never a login redirect").isNull();
		}
	}

	@Test
	void theOwnerReceivesTheEventsPublishedToTheirOrder() throws Exception {
		SampleHttp http = new SampleHttp(this.port);
		try (SseTestClient stream = request("alice", "42").open()) {
			assertThat(stream.awaitEvent("sse.connected").data()).contains("\"order:42\"", "\"user:alice\"");
			HttpResponse<String> other = http.publish(SampleHttp.basic("admin"),
					"{\"topics\":[\"order:43\"],\"event\":\"order.shipped\",\"data\":\"bob's\"}");
			HttpResponse<String> mine = http.publish(SampleHttp.basic("admin"),
					"{\"topics\":[\"order:42\"],\"event\":\"order.shipped\",\"data\":\"alice's\"}");
			assertThat(other.statusCode()).isEqualTo(202);
			assertThat(mine.statusCode()).isEqualTo(202);
			SseReceivedEvent shipped = stream.awaitEvent();
			assertThat(shipped.name()).isEqualTo("order.shipped");
			assertThat(shipped.data()).isEqualTo("alice's");
			assertThat(mine.body()).contains(shipped.id());
		}
	}

}
