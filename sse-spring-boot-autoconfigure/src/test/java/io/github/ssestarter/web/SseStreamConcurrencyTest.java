package io.github.ssestarter.web;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.engine.CloseReason;
import io.github.ssestarter.engine.OverflowPolicy;
import io.github.ssestarter.engine.SseConnection;
import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.support.RecordingTransport;
import io.github.ssestarter.support.TestEngines;

import static org.assertj.core.api.Assertions.assertThat;

/** A controller stream sent to while the engine closes it from another publisher's thread. */
class SseStreamConcurrencyTest {

	private SseEngine engine;

	@AfterEach
	void close() {
		if (this.engine != null) {
			this.engine.shutdown(Duration.ofSeconds(1));
			this.engine.close();
		}
	}

	@Test
	void sendingWhileAPublisherClosesTheStreamAsSlowDoesNotDeadlock() throws Exception {
		TestEngines engines = new TestEngines();
		engines.policy = OverflowPolicy.DISCONNECT;
		engines.maxQueuedEvents = 4;
		this.engine = engines.build();
		for (int round = 0; round < 50; round++) {
			RecordingTransport transport = new RecordingTransport().hold(); // the client reads nothing
			SseConnection connection = this.engine.open(TestEngines.topics("flood"), transport);
			SseStream stream = new SseStream(List.of("flood"));
			stream.opened(this.engine, connection);
			CountDownLatch done = new CountDownLatch(2);
			Thread sender = new Thread(() -> {
				try {
					while (connection.isOpen()) {
						stream.send(SseEvent.ofData("sent"));
					}
				}
				catch (IOException ex) {
					// closed: expected
				}
				done.countDown();
			});
			Thread publisher = new Thread(() -> {
				while (connection.isOpen()) {
					this.engine.publish("flood", SseEvent.ofData("published"));
				}
				done.countDown();
			});
			sender.setDaemon(true);
			publisher.setDaemon(true);
			sender.start();
			publisher.start();
			assertThat(done.await(10, TimeUnit.SECONDS)).as("round %d: both threads finished (no deadlock)", round)
				.isTrue();
			assertThat(connection.closeReason()).isEqualTo(CloseReason.SLOW);
			transport.release();
		}
	}

}
