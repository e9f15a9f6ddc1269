package io.github.ssestarter.web;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseService;
import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.testapp.plain.SseTestApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that go away are normal, however they go: the socket reset (a laptop lid closes,
 * a proxy drops the connection), a polite close (curl killed, a tab closed), or a reset
 * after the client stopped reading while events were being written. The stream closes and
 * nothing is logged above DEBUG — in particular no error dispatch that Spring MVC then
 * fails to render as {@code text/event-stream}.
 */
@SpringBootTest(classes = SseTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "sse.heartbeat.interval=200ms", "spring.main.banner-mode=off" })
@ExtendWith(OutputCaptureExtension.class)
class SseClientDisconnectLoggingIntegrationTest {

	private static final int CLIENTS = 12;

	/** How a client leaves. */
	enum Departure {

		/** A TCP reset. */
		RESET,

		/** A FIN, as a killed process or a closed tab. */
		CLOSE,

		/** Stops reading while large events flow, until the server cannot write, then a reset. */
		STALL_THEN_RESET

	}

	@LocalServerPort
	int port;

	@Autowired
	SseService sse;

	@Autowired
	SseEngine engine;

	@ParameterizedTest
	@EnumSource(Departure.class)
	void clientsThatGoAwayCloseQuietly(Departure departure, CapturedOutput output) throws Exception {
		String topic = "vanishing-" + departure.name().toLowerCase();
		List<Socket> sockets = new ArrayList<>();
		for (int i = 0; i < CLIENTS; i++) {
			Socket socket = new Socket("127.0.0.1", this.port);
			socket.setReceiveBufferSize(4096);
			OutputStream out = socket.getOutputStream();
			out.write(("GET /api/v1/sse?topics=" + topic + " HTTP/1.1\r\nHost: localhost\r\n"
					+ "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] head = new byte[512];
			assertThat(in.read(head)).as("the stream opened").isPositive();
			sockets.add(socket);
		}
		await().until(() -> this.engine.registry().subscribers(topic).size() == CLIENTS);
		if (departure == Departure.STALL_THEN_RESET) {
			String large = "x".repeat(64 * 1024);
			// nobody reads: the sockets' buffers fill and the writes stop being possible
			await().atMost(Duration.ofSeconds(20)).until(() -> {
				this.sse.publish(topic, SseEvent.ofData(large));
				return this.engine.registry().subscribers(topic).stream().allMatch((c) -> c.queuedFrames() > 0);
			});
		}
		for (Socket socket : sockets) {
			if (departure != Departure.CLOSE) {
				socket.setSoLinger(true, 0); // close with a reset, not a polite FIN
			}
			socket.close();
		}
		// writes (events and heartbeats) now fail on every stream
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			this.sse.publish(topic, SseEvent.ofData("anyone there?"));
			return this.engine.registry().subscribers(topic).isEmpty();
		});
		await().until(() -> this.engine.liveConnections() == 0);
		Thread.sleep(500); // an error dispatch, if any, is logged right after the close
		String logged = output.getOut() + output.getErr();
		assertThat(logged).doesNotContain(" WARN ").doesNotContain(" ERROR ");
	}

}
