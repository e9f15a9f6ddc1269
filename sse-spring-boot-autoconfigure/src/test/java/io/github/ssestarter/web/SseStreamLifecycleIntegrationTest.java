package io.github.ssestarter.web;

import java.io.BufferedReader;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseService;
import io.github.ssestarter.engine.CloseReason;
import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.support.RawSseStream;
import io.github.ssestarter.test.SseReceivedEvent;
import io.github.ssestarter.test.SseTestClient;
import io.github.ssestarter.testapp.plain.SseTestApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Heartbeats, maximum lifetime and graceful shutdown over real HTTP, with short
 * intervals so they happen within a test.
 */
@SpringBootTest(classes = SseTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.heartbeat.interval=300ms", "sse.connection.max-lifetime=2s",
				"sse.connection.lifetime-jitter=0", "sse.connection.retry=250ms" })
class SseStreamLifecycleIntegrationTest {

	@LocalServerPort
	int port;

	@Autowired
	SseService sse;

	@Autowired
	SseEngine engine;

	@Test
	void quietStreamsReceiveHeartbeatComments() throws Exception {
		try (BufferedReader stream = open(this.port, "/api/v1/sse?topics=quiet")) {
			List<String> lines = new ArrayList<>();
			String line;
			while ((line = stream.readLine()) != null && !line.equals(": heartbeat")) {
				lines.add(line);
				assertThat(lines).as("a heartbeat arrives before the stream ends").hasSizeLessThan(20);
			}
			assertThat(line).isEqualTo(": heartbeat");
			assertThat(stream.readLine()).isEmpty();
		}
	}

	@Test
	void streamsEndAtTheirMaximumLifetimeWithARetryHintAndResumeWithoutLoss() throws Exception {
		long timeoutsBefore = this.engine.counters().closed(CloseReason.TIMEOUT);
		List<String> lines = new ArrayList<>();
		try (BufferedReader stream = open(this.port, "/api/v1/sse?topics=lifetime")) {
			String line;
			while ((line = stream.readLine()) != null) { // the server ends the stream
				lines.add(line);
			}
		}
		assertThat(lines.subList(lines.size() - 2, lines.size())).containsExactly("retry: 250", "");
		assertThat(this.engine.counters().closed(CloseReason.TIMEOUT)).isGreaterThan(timeoutsBefore);
		String position = lines.stream().filter((l) -> l.startsWith("id: ")).reduce((a, b) -> b).orElseThrow()
			.substring(4);
		// What is published between the end and the reconnect is replayed on reconnect.
		String missed = this.sse.publish("lifetime", SseEvent.ofData("published while away"));
		try (SseTestClient client = SseTestClient.connect(url("/api/v1/sse?topics=lifetime"),
				Map.of("Last-Event-ID", position))) {
			client.awaitEvent("sse.connected");
			assertThat(client.awaitEvent()).isEqualTo(new SseReceivedEvent(missed, "message", "published while away", null));
		}
	}

	@Test
	void gracefulShutdownFlushesAndEndsEveryStreamWithARetryHint() throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SseTestApplication.class)
			.properties("server.port=0", "sse.shutdown.timeout=5s", "spring.main.banner-mode=off")
			.run();
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		try (BufferedReader stream = open(port, "/api/v1/sse?topics=bye")) {
			String line;
			while (!(line = stream.readLine()).equals("event: sse.connected")) {
				assertThat(line).isNotNull();
			}
			assertThat(stream.readLine()).startsWith("data: ");
			assertThat(stream.readLine()).isEmpty();
			context.getBean(SseService.class).publish("bye", SseEvent.ofData("last words"));
			long start = System.nanoTime();
			CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
			List<String> rest = new ArrayList<>();
			while ((line = stream.readLine()) != null) {
				rest.add(line);
			}
			closing.get(10, TimeUnit.SECONDS);
			assertThat(rest).contains("data: last words");
			assertThat(rest.get(rest.size() - 2)).matches("retry: \\d+");
			long retry = Long.parseLong(rest.get(rest.size() - 2).substring(7));
			assertThat(retry).as("jittered between 1 and 2 retry intervals").isBetween(3000L, 6000L);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).as("streams did not hold up the shutdown")
				.isLessThan(Duration.ofSeconds(5));
		}
		finally {
			context.close();
		}
	}

	@Test
	void aClientBackAfterTheNodeRestartedIsResetBeforeTheNewInstancesFirstEventAndGetsAllOfThem() throws Exception {
		String lastEventId;
		ConfigurableApplicationContext before = start();
		try (SseTestClient client = SseTestClient.connect(url(before, "/api/v1/sse?topics=restart"))) {
			client.awaitEvent("sse.connected");
			before.getBean(SseService.class).publish("restart", SseEvent.ofData("before"));
			lastEventId = client.awaitEvent().id();
		}
		finally {
			before.close();
		}
		ConfigurableApplicationContext after = start();
		try {
			SseService sse = after.getBean(SseService.class);
			String first = sse.publish("restart", SseEvent.ofData("while away 1"));
			sse.publish("elsewhere", SseEvent.ofData("not for this client"));
			String second = sse.publish("restart", SseEvent.ofData("while away 2"));
			try (SseTestClient client = SseTestClient.connect(url(after, "/api/v1/sse?topics=restart"),
					Map.of("Last-Event-ID", lastEventId))) {
				client.awaitEvent("sse.connected");
				SseReceivedEvent reset = client.awaitEvent();
				assertThat(reset.name()).isEqualTo("sse.reset");
				assertThat(reset.data()).contains("\"reason\":\"unknown\"");
				assertThat(reset.id()).as("before the new instance's first event").endsWith("-0")
					.isNotEqualTo(lastEventId);
				assertThat(client.awaitEvent()).isEqualTo(new SseReceivedEvent(first, "message", "while away 1", null));
				assertThat(client.awaitEvent()).isEqualTo(new SseReceivedEvent(second, "message", "while away 2", null));
				String live = sse.publish("restart", SseEvent.ofData("live"));
				assertThat(client.awaitEvent()).isEqualTo(new SseReceivedEvent(live, "message", "live", null));
			}
		}
		finally {
			after.close();
		}
	}

	private static ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(SseTestApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off")
			.run();
	}

	private static String url(ConfigurableApplicationContext context, String pathAndQuery) {
		return "http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort() + pathAndQuery;
	}

	private String url(String pathAndQuery) {
		return "http://localhost:" + this.port + pathAndQuery;
	}

	private static BufferedReader open(int port, String pathAndQuery) throws Exception {
		HttpResponse<InputStream> response = RawSseStream.open("http://localhost:" + port + pathAndQuery);
		assertThat(response.statusCode()).isEqualTo(200);
		return RawSseStream.lines(response);
	}

}
