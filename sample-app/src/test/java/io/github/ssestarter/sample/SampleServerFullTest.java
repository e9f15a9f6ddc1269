package io.github.ssestarter.sample;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

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
		try (SampleHttp.Stream first = http.open("/api/v1/sse", SampleHttp.basic("alice"));
				SampleHttp.Stream second = http.open("/api/v1/sse", SampleHttp.basic("bob"))) {
			first.dataAfter("event: sse.connected");
			second.dataAfter("event: sse.connected");
			try (SampleHttp.Stream third = http.open("/api/v1/sse", SampleHttp.basic("admin"))) {
				assertThat(third.status()).isEqualTo(200);
				String retry = null;
				String line;
				StringBuilder rest = new StringBuilder();
				while ((line = third.lines().readLine()) != null) { // the server ends the stream
					rest.append(line).append('\n');
					if (line.startsWith("retry: ")) {
						retry = line.substring(7);
					}
				}
				assertThat(Long.parseLong(retry)).isBetween(3000L, 6000L);
				assertThat(rest).contains("event: sse.overloaded\ndata: {\"reason\":\"server-full\",\"maxConnections\":2}");
			}
		}
	}

}
