package io.github.ssestarter.sample;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as a newcomer uses it: the page is served, the clock ticks into the stream,
 * and what the page publishes reaches subscribers.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "sample.clock.interval=200ms", "sse.heartbeat.interval=1s" })
class SampleApplicationTest {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	private URI uri(String pathAndQuery) {
		return URI.create("http://localhost:" + this.port + pathAndQuery);
	}

	@Test
	void servesTheDemoPage() throws Exception {
		HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(uri("/")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("new EventSource(url)").contains("/api/v1/sse/events");
	}

	@Test
	void clockTicksArriveOnTheStream() throws Exception {
		try (BufferedReader stream = open("/api/v1/sse?topics=clock")) {
			assertThat(readUntil(stream, "event: clock.tick")).isTrue();
			assertThat(stream.readLine()).startsWith("data: {\"time\":\"");
		}
	}

	@Test
	void whatThePagePublishesReachesSubscribers() throws Exception {
		try (BufferedReader stream = open("/api/v1/sse?topics=notifications")) {
			assertThat(readUntil(stream, "event: sse.connected")).isTrue();
			HttpResponse<String> published = HTTP.send(HttpRequest.newBuilder(uri("/api/v1/sse/events"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(
						"{\"topics\":[\"notifications\"],\"event\":\"notification.created\",\"data\":{\"message\":\"Hi\"}}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(published.statusCode()).isEqualTo(202);
			assertThat(readUntil(stream, "event: notification.created")).isTrue();
			assertThat(stream.readLine()).isEqualTo("data: {\"message\":\"Hi\"}");
		}
	}

	private BufferedReader open(String pathAndQuery) throws Exception {
		HttpResponse<InputStream> response = HTTP
			.sendAsync(HttpRequest.newBuilder(uri(pathAndQuery)).header("Accept", "text/event-stream").build(),
					HttpResponse.BodyHandlers.ofInputStream())
			.get(5, TimeUnit.SECONDS);
		assertThat(response.statusCode()).isEqualTo(200);
		return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
	}

	/** Reads lines until the expected one; false if the stream ends first or 200 lines pass. */
	private static boolean readUntil(BufferedReader stream, String expected) throws Exception {
		for (int i = 0; i < 200; i++) {
			String line = stream.readLine();
			if (line == null) {
				return false;
			}
			if (line.equals(expected)) {
				return true;
			}
		}
		return false;
	}

}
