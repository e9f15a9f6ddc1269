package io.github.ssestarter.sample;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.ssestarter.test.SseTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A full node answers so that browsers come back later: 200, a jittered retry hint, an
 * {@code sse.overloaded} event, and the end of the stream (any other status would make an
 * EventSource give up for good).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.clock.enabled=false", "sse.limits.max-connections=2" })
class SampleServerFullTest {

	@LocalServerPort
	int port;

	@Test
	void aClientBeyondTheGlobalLimitIsToldToComeBackLater() throws Exception {
		SampleHttp http = new SampleHttp(this.port);
		try (SseTestClient first = http.open("/api/v1/sse", SampleHttp.basic("alice"));
				SseTestClient second = http.open("/api/v1/sse", SampleHttp.basic("bob"))) {
			first.awaitEvent("sse.connected");
			second.awaitEvent("sse.connected");
			try (SseTestClient third = http.open("/api/v1/sse", SampleHttp.basic("admin"))) {
				assertThat(third.awaitResponse().status()).isEqualTo(200);
				assertThat(third.awaitEvent("sse.overloaded").data())
					.isEqualTo("{\"reason\":\"server-full\",\"maxConnections\":2}");
				assertThat(third.awaitEnd(Duration.ofSeconds(10))).as("the server ends the stream").isNull();
				assertThat(third.reconnectionTime()).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(6));
			}
		}
	}

}
