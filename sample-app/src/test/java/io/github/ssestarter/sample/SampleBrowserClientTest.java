package io.github.ssestarter.sample;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseService;
import io.github.ssestarter.engine.CloseReason;
import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.test.SseTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code sse-client.js} in headless Chromium: how it comes back to a full server, and where it keeps its position. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.clock.enabled=false", "sse.limits.max-connections=3" })
class SampleBrowserClientTest {

	@LocalServerPort
	int port;

	@Autowired
	SseEngine engine;

	@Autowired
	SseService sse;

	/** The node has room for three streams: start each test with none (a closed socket's stream lingers until a write). */
	@BeforeEach
	void closeLeftoverStreams() {
		for (String user : List.of("alice", "bob", "admin")) {
			this.sse.disconnectUser(user);
		}
		await().until(() -> this.engine.registry().connectionCount() == 0);
	}

	/**
	 * A full server answers 200 and then {@code sse.overloaded}: the page must back off
	 * (1 s doubling), not start over at the shortest delay because the response was a 200.
	 * After the first refusal, retries come at most at 0.5, 1.5 and 3.5 s, the next not
	 * before 7.5 s; starting over each time would retry every 0.5 to 1 s.
	 */
	@Test
	void aFullServerIsRetriedWithAGrowingDelay() throws Exception {
		Browser.assumeInstalled();
		SampleHttp http = new SampleHttp(this.port);
		try (SseTestClient one = http.open("/api/v1/sse", SampleHttp.basic("alice"));
				SseTestClient two = http.open("/api/v1/sse", SampleHttp.basic("alice"));
				SseTestClient three = http.open("/api/v1/sse", SampleHttp.basic("admin"));
				Browser browser = Browser.start()) {
			one.awaitEvent("sse.connected");
			two.awaitEvent("sse.connected");
			three.awaitEvent("sse.connected");
			long refusedBefore = this.engine.counters().closed(CloseReason.LIMIT);
			browser.logIn(this.port, "bob");
			browser.waitUntil(Duration.ofSeconds(10),
					(d) -> this.engine.counters().closed(CloseReason.LIMIT) > refusedBefore);
			long first = this.engine.counters().closed(CloseReason.LIMIT);
			Thread.sleep(6_000); // the window in which the retries are counted
			long retries = this.engine.counters().closed(CloseReason.LIMIT) - first;
			assertThat(retries).as("retries in the 6 s after the first refusal").isBetween(2L, 3L);
			assertThat(browser.text("status")).isNotEqualTo("open");
		}
	}

	@Test
	void twoClientsOnOnePageKeepTheirOwnResumePosition() {
		Browser.assumeInstalled();
		try (Browser browser = Browser.start()) {
			browser.logIn(this.port, "alice");
			browser.waitUntil(Duration.ofSeconds(10), (d) -> "open".equals(browser.text("status")));
			browser.script("import('/js/sse-client.js').then((m) => {"
					+ " window.a = new m.SseClient('/api/v1/sse', { topics: ['news.a'] });"
					+ " window.b = new m.SseClient('/api/v1/sse', { topics: ['news.b'] });"
					+ " window.a.onStatus((s) => { window.aStatus = s; }).connect();"
					+ " window.b.onStatus((s) => { window.bStatus = s; }).connect(); });");
			browser.waitUntil(Duration.ofSeconds(10),
					(d) -> "open".equals(browser.script("return window.aStatus"))
							&& "open".equals(browser.script("return window.bStatus")));
			String forA = this.sse.publish("news.a", SseEvent.ofData("a"));
			browser.waitUntil(Duration.ofSeconds(10), (d) -> forA.equals(browser.script("return window.a.lastEventId")));
			String forB = this.sse.publish("news.b", SseEvent.ofData("b"));
			browser.waitUntil(Duration.ofSeconds(10), (d) -> forB.equals(browser.script("return window.b.lastEventId")));
			// a never saw forB: resuming from it after a reload would skip whatever news.a had in between.
			assertThat(browser.script("return window.a.lastEventId")).isEqualTo(forA);
		}
	}

}
