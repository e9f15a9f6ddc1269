package io.github.ssestarter.web;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseService;
import io.github.ssestarter.engine.CloseReason;
import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.testapp.plain.SseTestApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that vanish (the socket reset, as when a laptop lid closes or a proxy drops the
 * connection) are normal: the stream closes as {@code client}, and nothing is logged above
 * DEBUG — in particular no error dispatch that Spring MVC then fails to render as
 * {@code text/event-stream}.
 */
@SpringBootTest(classes = SseTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "sse.heartbeat.interval=200ms", "spring.main.banner-mode=off" })
@ExtendWith(OutputCaptureExtension.class)
class SseClientDisconnectLoggingIntegrationTest {

	@LocalServerPort
	int port;

	@Autowired
	SseService sse;

	@Autowired
	SseEngine engine;

	@Test
	void clientsThatResetTheirConnectionCloseQuietly(CapturedOutput output) throws Exception {
		long closedBefore = this.engine.counters().closed(CloseReason.CLIENT);
		List<Socket> sockets = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			Socket socket = new Socket("127.0.0.1", this.port);
			OutputStream out = socket.getOutputStream();
			out.write(("GET /api/v1/sse?topics=vanishing HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] head = new byte[512];
			assertThat(in.read(head)).as("the stream opened").isPositive();
			sockets.add(socket);
		}
		await().until(() -> this.engine.registry().connectionCount() >= 12);
		for (Socket socket : sockets) {
			socket.setSoLinger(true, 0); // close with a reset, not a polite FIN
			socket.close();
		}
		// writes (events and heartbeats) now fail on every stream
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			this.sse.publish("vanishing", SseEvent.ofData("anyone there?"));
			return this.engine.counters().closed(CloseReason.CLIENT) - closedBefore >= 12;
		});
		await().until(() -> this.engine.liveConnections() == 0);
		Thread.sleep(500); // an error dispatch, if any, is logged right after the close
		String logged = output.getOut() + output.getErr();
		assertThat(logged).doesNotContain(" WARN ").doesNotContain(" ERROR ");
	}

}
