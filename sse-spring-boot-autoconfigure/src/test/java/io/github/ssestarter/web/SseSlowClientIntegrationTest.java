package io.github.ssestarter.web;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseService;
import io.github.ssestarter.engine.CloseReason;
import io.github.ssestarter.engine.DropReason;
import io.github.ssestarter.engine.SseConnection;
import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.support.TestSseClient;
import io.github.ssestarter.support.TestSseClient.Event;
import io.github.ssestarter.testapp.plain.SseTestApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that never reads (a raw socket with a tiny receive window) next to a fast one,
 * with small queues so that the stalled one overflows quickly.
 */
@SpringBootTest(classes = SseTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.buffer.max-bytes=256KB", "sse.buffer.max-events=200", "sse.write-timeout=3s",
				"sse.max-event-size=128KB" })
class SseSlowClientIntegrationTest {

	@LocalServerPort
	int port;

	@Autowired
	SseService sse;

	@Autowired
	SseEngine engine;

	private String url(String pathAndQuery) {
		return "http://localhost:" + this.port + pathAndQuery;
	}

	@Test
	void aClientThatNeverReadsDoesNotSlowAFastOneAndItsLossesAreCounted() throws Exception {
		long queueFullBefore = this.engine.counters().dropped(DropReason.QUEUE_FULL);
		long slowBefore = this.engine.counters().closed(CloseReason.SLOW);
		try (TestSseClient fast = TestSseClient.connect(url("/api/v1/sse?topics=load,fast-only"));
				Socket stalled = new Socket()) {
			fast.next("sse.connected");
			stalled.setReceiveBufferSize(4096);
			stalled.connect(new InetSocketAddress("localhost", this.port));
			OutputStream out = stalled.getOutputStream();
			out.write(("GET /api/v1/sse?topics=load HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush(); // and never read a byte
			await().until(() -> this.engine.registry().subscribers("load").size() == 2);
			SseConnection slow = this.engine.registry()
				.subscribers("load")
				.stream()
				.filter((c) -> !c.topics().contains("fast-only"))
				.findFirst()
				.orElseThrow();
			String payload = "x".repeat(8 * 1024);
			int published = 0;
			long worstWaitMillis = 0;
			// Publish until the stalled client's queue has overflowed (its socket buffers are full by then),
			// and keep going a little; the fast client must get every event, each one promptly.
			while ((slow.droppedEvents() == 0 || published < 200) && published < 20_000) {
				String id = this.sse.publish("load", SseEvent.of("load", published + ":" + payload));
				long start = System.nanoTime();
				Event event = fast.next();
				worstWaitMillis = Math.max(worstWaitMillis, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
				assertThat(event.id()).isEqualTo(id);
				assertThat(event.data()).startsWith(published + ":");
				published++;
			}
			assertThat(slow.droppedEvents()).as("the stalled client overflowed").isPositive();
			assertThat(worstWaitMillis).as("the fast client never waited for the stalled one's write timeout")
				.isLessThan(3000);
			assertThat(this.engine.counters().dropped(DropReason.QUEUE_FULL)).isGreaterThan(queueFullBefore);
			// Its blocked write outlives sse.write-timeout: it is closed as slow.
			await().atMost(Duration.ofSeconds(15)).until(() -> !slow.isOpen());
			assertThat(slow.closeReason()).isEqualTo(CloseReason.SLOW);
			assertThat(this.engine.counters().closed(CloseReason.SLOW)).isGreaterThan(slowBefore);
			assertThat(slow.queuedBytes()).isZero();
			stalled.close();
			// Once the stalled client is gone, its blocked write fails and the container confirms the end of
			// the request: none is left in progress to hold up a graceful shutdown.
			await().atMost(Duration.ofSeconds(10)).until(() -> !this.engine.liveConnectionsView().contains(slow));
		}
	}

}
