package io.github.ssestarter.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.engine.CloseReason;
import io.github.ssestarter.engine.ResetReason;
import io.github.ssestarter.engine.SseCounters;
import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.support.DeliveryCheck;
import io.github.ssestarter.support.SlowSseClient;
import io.github.ssestarter.test.SseReceivedEvent;
import io.github.ssestarter.test.SseTestClient;
import io.github.ssestarter.testapp.plain.SseTestApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that reads more slowly than eight threads publish events of 1 to 16 KB, over
 * a real socket with a small receive window, beside a fast client; once with each
 * overflow policy. Each client's stream is checked event by event against what was
 * published: every event once and in id order, or an {@code sse.reset} exactly where a
 * gap is.
 */
@SpringBootTest(classes = SseTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class SseSlowReaderIntegrationTest {

	private static final String TOPIC = "feed";

	private static final int PUBLISHERS = 8;

	private static final int PER_PUBLISHER = 100;

	@LocalServerPort
	int port;

	@Autowired
	SseEngine engine;

	private final ExecutorService threads = Executors.newFixedThreadPool(PUBLISHERS);

	@AfterEach
	void stopPublishers() {
		this.threads.shutdownNow();
	}

	/** The defaults: a slow reader falls behind, catches up from the history, and misses nothing. */
	@Nested
	class Defaults {

		@Test
		void aSlowReaderReceivesEveryEventOnceAndInOrder() throws Exception {
			SseCounters counters = SseSlowReaderIntegrationTest.this.engine.counters();
			long catchUps = counters.catchUps();
			Run run = publishToASlowAndAFastReader();
			DeliveryCheck.Outcome slow = run.published.verifyComplete("slow reader", Set.of(TOPIC), null,
					run.slow.received());
			assertThat(slow.events()).isEqualTo(PUBLISHERS * PER_PUBLISHER + 1);
			assertThat(slow.totalResets()).isZero();
			assertThat(run.slow.streams()).as("one stream, never ended").isEqualTo(1);
			assertThat(counters.catchUps()).as("the slow reader fell behind and caught up").isGreaterThan(catchUps);
		}

	}

	/** A history too small for how far the reader falls behind: one reset exactly where the gap is. */
	@Nested
	@TestPropertySource(properties = "sse.replay.max-events=50")
	class SmallHistory {

		@Test
		void aSlowReaderIsToldItLaggedExactlyWhereItLostEvents() throws Exception {
			long lagged = SseSlowReaderIntegrationTest.this.engine.counters().resets(ResetReason.LAGGED);
			Run run = publishToASlowAndAFastReader();
			// verifyComplete: after each lagged reset (which names the last event received) the
			// reader gets every event from the reset's id on; nothing is skipped without one.
			DeliveryCheck.Outcome slow = run.published.verifyComplete("slow reader", Set.of(TOPIC), null,
					run.slow.received());
			assertThat(slow.resets()).containsOnlyKeys("lagged");
			assertThat(SseSlowReaderIntegrationTest.this.engine.counters().resets(ResetReason.LAGGED) - lagged)
				.isEqualTo(slow.resets("lagged"));
		}

	}

	/** Drop-oldest: the reader sees the newest events, each gap announced with how many it missed. */
	@Nested
	@TestPropertySource(properties = "sse.buffer.overflow-policy=drop-oldest")
	class DropOldest {

		@Test
		void aSlowReaderGetsANoticeBeforeEachGap() throws Exception {
			Run run = publishToASlowAndAFastReader();
			DeliveryCheck.Outcome slow = run.published.verifyComplete("slow reader", Set.of(TOPIC), null,
					run.slow.received());
			assertThat(slow.resets()).containsOnlyKeys("dropped"); // and each says exactly how many it missed
		}

	}

	/** Disconnect: the slow reader is cut off and resumes with Last-Event-ID, like a browser. */
	@Nested
	@TestPropertySource(properties = "sse.buffer.overflow-policy=disconnect")
	class Disconnect {

		@Test
		void aReconnectWithLastEventIdYieldsExactlyTheMissingEvents() throws Exception {
			long slowCloses = SseSlowReaderIntegrationTest.this.engine.counters().closed(CloseReason.SLOW);
			Run run = publishToASlowAndAFastReader();
			DeliveryCheck.Outcome slow = run.published.verifyComplete("slow reader", Set.of(TOPIC), null,
					run.slow.received());
			assertThat(slow.totalResets()).isZero();
			assertThat(run.slow.streams()).as("the reader was cut off and came back").isGreaterThan(1);
			assertThat(SseSlowReaderIntegrationTest.this.engine.counters().closed(CloseReason.SLOW))
				.isGreaterThan(slowCloses);
		}

	}

	/**
	 * Publish events of 1 to 16 KB from eight threads, each every 10 ms (about 7 MB/s in
	 * all), while a reader takes 4 KB every 2 ms (at most 2 MB/s) and a fast client reads
	 * beside it; then wait until both have the last event.
	 */
	Run publishToASlowAndAFastReader() throws Exception {
		DeliveryCheck published = new DeliveryCheck();
		String url = "http://localhost:" + this.port + "/api/v1/sse?topics=" + TOPIC;
		try (SseTestClient fast = SseTestClient.connect(url);
				SlowSseClient slow = new SlowSseClient(this.port, "/api/v1/sse?topics=" + TOPIC, 4096,
						Duration.ofMillis(2))) {
			long fastStart = DeliveryCheck.sequence(fast.awaitEvent("sse.connected").id());
			slow.awaitEvent((event) -> event.type().equals("sse.connected"), Duration.ofSeconds(5));
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> publishers = new ArrayList<>();
			for (int p = 0; p < PUBLISHERS; p++) {
				int publisher = p;
				publishers.add(this.threads.submit(() -> {
					start.await();
					for (int n = 0; n < PER_PUBLISHER; n++) {
						String payload = publisher + ":" + n + ":"
								+ "x".repeat(ThreadLocalRandom.current().nextInt(1024, 16 * 1024));
						published.published(this.engine.publish(TOPIC, SseEvent.of("item", payload)), Set.of(TOPIC));
						TimeUnit.MILLISECONDS.sleep(10);
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> publisher : publishers) {
				publisher.get(30, TimeUnit.SECONDS);
			}
			String last = this.engine.publish(TOPIC, SseEvent.of("item", "last"));
			published.published(last, Set.of(TOPIC));
			List<SseReceivedEvent> fastEvents = new ArrayList<>();
			SseReceivedEvent event;
			do {
				event = fast.awaitEvent();
				fastEvents.add(event);
			}
			while (!last.equals(event.id()));
			DeliveryCheck.Outcome fastOutcome = published.verifyComplete("fast client", Set.of(TOPIC), fastStart,
					DeliveryCheck.fromClient(fastEvents));
			assertThat(fastOutcome.totalResets()).as("the fast client never fell behind").isZero();
			slow.awaitEvent((received) -> last.equals(received.id()), Duration.ofSeconds(60));
			return new Run(published, slow);
		}
	}

	record Run(DeliveryCheck published, SlowSseClient slow) {
	}

}
