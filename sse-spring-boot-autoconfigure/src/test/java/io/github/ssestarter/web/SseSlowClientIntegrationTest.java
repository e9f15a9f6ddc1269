package io.github.ssestarter.web;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import io.github.ssestarter.test.SseReceivedEvent;
import io.github.ssestarter.test.SseTestClient;
import io.github.ssestarter.testapp.plain.SseTestApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that never read (raw sockets with a tiny receive window) next to a fast one, with
 * small queues so that the stalled ones fall behind quickly, and only two writer threads: more
 * stalled clients than writer threads, so a stalled client that held a thread (a blocking
 * write) would starve the fast one until the write timeout.
 */
@SpringBootTest(classes = SseTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.buffer.max-bytes=256KB", "sse.buffer.max-events=200", "sse.write-timeout=3s",
				"sse.max-event-size=128KB", "sse.writer.threads=2", "sse.writer.max-threads=2" })
class SseSlowClientIntegrationTest {

	/** More than the writer threads. */
	private static final int STALLED = 4;

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
	void clientsThatNeverReadDoNotSlowAFastOneAndTheirLossesAreCounted() throws Exception {
		long queueFullBefore = this.engine.counters().dropped(DropReason.QUEUE_FULL);
		long catchUpsBefore = this.engine.counters().catchUps();
		long slowBefore = this.engine.counters().closed(CloseReason.SLOW);
		List<Socket> stalled = new ArrayList<>();
		try (SseTestClient fast = SseTestClient.connect(url("/api/v1/sse?topics=load,fast-only"))) {
			fast.awaitEvent("sse.connected");
			for (int i = 0; i < STALLED; i++) {
				stalled.add(stalledClient());
			}
			await().until(() -> this.engine.registry().subscribers("load").size() == STALLED + 1);
			List<SseConnection> slow = this.engine.registry()
				.subscribers("load")
				.stream()
				.filter((c) -> !c.topics().contains("fast-only"))
				.toList();
			String payload = "x".repeat(8 * 1024);
			int published = 0;
			long worstWaitMillis = 0;
			// Publish until every stalled client's queue is full (their socket buffers are full by then),
			// and keep going a little; the fast client must get every event, each one promptly.
			while ((slow.stream().anyMatch((c) -> !c.isCatchingUp()) || published < 200) && published < 20_000) {
				String id = this.sse.publish("load", SseEvent.of("load", published + ":" + payload));
				long start = System.nanoTime();
				SseReceivedEvent event = fast.awaitEvent();
				worstWaitMillis = Math.max(worstWaitMillis, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
				assertThat(event.id()).isEqualTo(id);
				assertThat(event.data()).startsWith(published + ":");
				published++;
			}
			assertThat(slow).as("every stalled client fell behind").allMatch(SseConnection::isCatchingUp);
			assertThat(slow).as("a stalled client costs at most its queue caps")
				.allMatch((c) -> c.queuedFrames() <= 200 && c.queuedBytes() <= 256 * 1024);
			assertThat(worstWaitMillis).as("the fast client never waited for a stalled one's write timeout")
				.isLessThan(3000);
			assertThat(this.engine.counters().catchUps()).isGreaterThanOrEqualTo(catchUpsBefore + STALLED);
			assertThat(this.engine.counters().dropped(DropReason.QUEUE_FULL)).as("nothing is dropped: it is in the history")
				.isEqualTo(queueFullBefore);
			// Unwritable for longer than sse.write-timeout: closed as slow.
			await().atMost(Duration.ofSeconds(15)).until(() -> slow.stream().noneMatch(SseConnection::isOpen));
			assertThat(slow).allMatch((c) -> c.closeReason() == CloseReason.SLOW && c.queuedBytes() == 0);
			assertThat(this.engine.counters().closed(CloseReason.SLOW)).isGreaterThanOrEqualTo(slowBefore + STALLED);
			// The container confirms the end of each request: none is left in progress to hold up a graceful
			// shutdown.
			await().atMost(Duration.ofSeconds(10))
				.until(() -> slow.stream().noneMatch(this.engine.liveConnectionsView()::contains));
		}
		finally {
			for (Socket socket : stalled) {
				socket.close();
			}
		}
	}

	/** A stream whose client sends its request and never reads a byte. */
	private Socket stalledClient() throws Exception {
		Socket socket = new Socket();
		socket.setReceiveBufferSize(4096);
		socket.connect(new InetSocketAddress("localhost", this.port));
		OutputStream out = socket.getOutputStream();
		out.write(("GET /api/v1/sse?topics=load HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		out.flush();
		return socket;
	}

}
