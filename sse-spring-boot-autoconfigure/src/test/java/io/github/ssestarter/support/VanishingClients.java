package io.github.ssestarter.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.engine.SseEngine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Raw-socket stream clients that go away the ways real clients do, for tests that check
 * a departure is quiet: a TCP reset (a laptop lid closes, a proxy drops the connection), a
 * polite close (curl killed, a tab closed), or a reset after the client stopped reading
 * while large events were being written.
 */
public final class VanishingClients {

	/** How the clients leave. */
	public enum Departure {

		/** A TCP reset. */
		RESET,

		/** A FIN, as a killed process or a closed tab. */
		CLOSE,

		/** Stops reading while large events flow, until the server cannot write, then a reset. */
		STALL_THEN_RESET

	}

	private final SseEngine engine;

	private final String topic;

	private final List<Socket> sockets = new ArrayList<>();

	private VanishingClients(SseEngine engine, String topic) {
		this.engine = engine;
		this.topic = topic;
	}

	/**
	 * Open streams on {@code /api/v1/sse?topics=<topic>}, each with a small receive buffer.
	 * @param engine the server's engine
	 * @param port the server's port
	 * @param topic the topic, on which nothing else listens
	 * @param count how many
	 * @return the clients, subscribed
	 */
	public static VanishingClients open(SseEngine engine, int port, String topic, int count) throws IOException {
		VanishingClients clients = new VanishingClients(engine, topic);
		for (int i = 0; i < count; i++) {
			Socket socket = new Socket("127.0.0.1", port);
			clients.sockets.add(socket);
			socket.setReceiveBufferSize(4096);
			OutputStream out = socket.getOutputStream();
			out.write(("GET /api/v1/sse?topics=" + topic + " HTTP/1.1\r\nHost: localhost\r\n"
					+ "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			assertThat(socket.getInputStream().read(new byte[512])).as("the stream opened").isPositive();
		}
		await().until(() -> engine.registry().subscribers(topic).size() == count);
		return clients;
	}

	/**
	 * Leave, then publish until the server has closed every stream (writes fail).
	 * @param departure how
	 */
	public void leave(Departure departure) throws IOException {
		if (departure == Departure.STALL_THEN_RESET) {
			String large = "x".repeat(64 * 1024);
			// nobody reads: the sockets' buffers fill and the writes stop being possible
			await().atMost(Duration.ofSeconds(20)).until(() -> {
				this.engine.publish(this.topic, SseEvent.ofData(large));
				return this.engine.registry().subscribers(this.topic).stream().allMatch((c) -> c.queuedFrames() > 0);
			});
		}
		for (Socket socket : this.sockets) {
			if (departure != Departure.CLOSE) {
				socket.setSoLinger(true, 0); // close with a reset, not a polite FIN
			}
			socket.close();
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			this.engine.publish(this.topic, SseEvent.ofData("anyone there?"));
			return this.engine.registry().subscribers(this.topic).isEmpty();
		});
		await().until(() -> this.engine.liveConnections() == 0);
	}

}
