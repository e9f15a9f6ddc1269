package io.github.ssestarter.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.ssestarter.engine.CloseReason;
import io.github.ssestarter.engine.SseConnection;
import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.support.RecordingTransport;
import io.github.ssestarter.support.TestEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Streams opened on many threads while another thread closes them as soon as they appear:
 * every stream gets exactly one opened event and then one closed event, in that order,
 * even when the engine reports the close first.
 */
class SseStreamEventPublisherTest {

	private static final int THREADS = 4;

	private static final int STREAMS_PER_THREAD = 500;

	private final Map<String, List<Object>> eventsByClient = new ConcurrentHashMap<>();

	private final SseStreamEventPublisher publisher = new SseStreamEventPublisher(this::record, "node-1");

	private final ExecutorService threads = Executors.newCachedThreadPool();

	private SseEngine engine;

	private void record(Object event) {
		String clientId = (event instanceof SseStreamOpenedEvent opened) ? opened.clientId()
				: ((SseStreamClosedEvent) event).clientId();
		this.eventsByClient.computeIfAbsent(clientId, (id) -> Collections.synchronizedList(new ArrayList<>()))
			.add(event);
	}

	@AfterEach
	void stop() throws InterruptedException {
		this.threads.shutdownNow();
		this.threads.awaitTermination(5, TimeUnit.SECONDS);
		if (this.engine != null) {
			this.engine.shutdown(Duration.ofSeconds(1));
			this.engine.close();
		}
		this.publisher.close();
	}

	@Test
	void everyStreamIsOpenedThenClosedOnceWhateverTheRace() throws Exception {
		TestEngines engines = new TestEngines();
		engines.streamListener = this.publisher;
		engines.maxConnectionsPerUser = THREADS * STREAMS_PER_THREAD;
		this.engine = engines.build();
		AtomicBoolean opening = new AtomicBoolean(true);
		Future<?> closer = this.threads.submit(() -> {
			while (opening.get() || this.engine.registry().connectionCount() > 0) {
				for (SseConnection connection : List.copyOf(this.engine.registry().connections())) {
					connection.close(CloseReason.EVICTED);
				}
			}
		});
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> openers = new ArrayList<>();
		for (int t = 0; t < THREADS; t++) {
			openers.add(this.threads.submit(() -> {
				start.await();
				for (int i = 0; i < STREAMS_PER_THREAD; i++) {
					SseConnection connection = this.engine.open(TestEngines.topics("news"), new RecordingTransport());
					if (i % 3 == 0 && connection != null) {
						connection.transportClosed(CloseReason.CLIENT); // closed by its own thread, at once
					}
				}
				return null;
			}));
		}
		start.countDown();
		for (Future<?> opener : openers) {
			opener.get(30, TimeUnit.SECONDS);
		}
		opening.set(false);
		closer.get(30, TimeUnit.SECONDS);

		int streams = THREADS * STREAMS_PER_THREAD;
		await().atMost(Duration.ofSeconds(10)).until(() -> this.eventsByClient.values()
			.stream()
			.mapToInt(List::size)
			.sum() == 2 * streams);
		assertThat(this.eventsByClient).hasSize(streams);
		this.eventsByClient.forEach((clientId, events) -> {
			assertThat(events).as(clientId).hasSize(2);
			SseStreamOpenedEvent opened = (SseStreamOpenedEvent) events.get(0);
			SseStreamClosedEvent closed = (SseStreamClosedEvent) events.get(1);
			assertThat(opened.node()).isEqualTo("node-1");
			assertThat(opened.topics()).contains("news", "client:" + clientId);
			assertThat(closed.reason()).isIn(CloseReason.EVICTED, CloseReason.CLIENT);
			assertThat(closed.openedAt()).isEqualTo(opened.openedAt());
			assertThat(closed.duration().isNegative()).isFalse();
		});
	}

}
