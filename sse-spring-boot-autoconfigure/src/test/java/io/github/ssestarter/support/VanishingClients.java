package io.github.ssestarter.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

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
		STALL_THEN_RESET,

		/**
		 * A FIN right after the request, before anything is read, many clients at once: pages
		 * that navigated away while their streams were opening. The server's first writes meet
		 * closed sockets while the container is still busy opening other streams.
		 */
		CLOSE_WHILE_OPENING

	}

	private final SseEngine engine;

	private final String topic;

	private final List<Socket> sockets = new ArrayList<>();

	private VanishingClients(SseEngine engine, String topic) {
		this.engine = engine;
		this.topic = topic;
	}

	/**
	 * Open streams on {@code /api/v1/sse?topics=<topic>}, each with a small receive buffer,
	 * and leave; then publish until the server has closed every stream (writes fail) and the
	 * container has confirmed each one's end to the engine.
	 * @param engine the server's engine
	 * @param port the server's port
	 * @param topic the topic, on which nothing else listens
	 * @param count how many
	 * @param departure how the clients leave
	 */
	public static void openAndLeave(SseEngine engine, int port, String topic, int count, Departure departure)
			throws Exception {
		VanishingClients clients = new VanishingClients(engine, topic);
		if (departure == Departure.CLOSE_WHILE_OPENING) {
			for (int round = 0; round < 3; round++) {
				requestAllAtOnceAndClose(engine, port, topic, count);
			}
		}
		else {
			for (int i = 0; i < count; i++) {
				Socket socket = request(port, topic);
				clients.sockets.add(socket);
				assertThat(socket.getInputStream().read(new byte[512])).as("the stream opened").isPositive();
			}
			await().until(() -> engine.registry().subscribers(topic).size() == count);
		}
		clients.leave(departure);
	}

	/**
	 * All at once, as a busy server meets them: the container is still busy with some
	 * streams' first writes while other streams' writes fail.
	 */
	private static void requestAllAtOnceAndClose(SseEngine engine, int port, String topic, int count)
			throws InterruptedException {
		long openedBefore = engine.counters().opened();
		CountDownLatch gate = new CountDownLatch(1);
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Thread thread = new Thread(() -> {
				try {
					gate.await();
					request(port, topic).close();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			thread.start();
			threads.add(thread);
		}
		gate.countDown();
		for (Thread thread : threads) {
			thread.join();
		}
		await().until(() -> engine.counters().opened() - openedBefore == count); // every request reached it
	}

	private static Socket request(int port, String topic) throws IOException {
		Socket socket = new Socket("127.0.0.1", port);
		socket.setReceiveBufferSize(4096);
		OutputStream out = socket.getOutputStream();
		out.write(("GET /api/v1/sse?topics=" + topic + " HTTP/1.1\r\nHost: localhost\r\n"
				+ "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
		out.flush();
		return socket;
	}

	private void leave(Departure departure) throws IOException {
		if (departure == Departure.STALL_THEN_RESET) {
			String large = "x".repeat(64 * 1024);
			// nobody reads: the sockets' buffers fill and the writes stop being possible
			await().atMost(Duration.ofSeconds(20)).until(() -> {
				this.engine.publish(this.topic, SseEvent.ofData(large));
				return this.engine.registry().subscribers(this.topic).stream().allMatch((c) -> c.queuedFrames() > 0);
			});
		}
		for (Socket socket : this.sockets) {
			if (departure == Departure.RESET || departure == Departure.STALL_THEN_RESET) {
				socket.setSoLinger(true, 0); // close with a reset, not a polite FIN
			}
			socket.close();
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			this.engine.publish(this.topic, SseEvent.ofData("anyone there?"));
			return this.engine.registry().subscribers(this.topic).isEmpty();
		});
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.engine.liveConnectionsView())
				.as("streams closed whose end the container never confirmed")
				.isEmpty());
	}

}
