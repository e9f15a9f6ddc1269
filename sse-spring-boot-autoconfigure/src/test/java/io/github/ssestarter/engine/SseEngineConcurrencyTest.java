package io.github.ssestarter.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.support.RecordingTransport;
import io.github.ssestarter.support.SseWire;
import io.github.ssestarter.support.TestEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hammers the engine from many threads and checks the invariants that make it
 * trustworthy: per client, events arrive in publication order, never twice, only when
 * meant for it, and every event offered to it is either delivered or counted as dropped.
 */
class SseEngineConcurrencyTest {

	private static final List<String> TOPICS = List.of("t0", "t1", "t2", "t3", "t4");

	private final TestEngines engines = new TestEngines();

	private SseEngine engine;

	private final ExecutorService threads = Executors.newCachedThreadPool();

	@AfterEach
	void stop() throws InterruptedException {
		this.threads.shutdownNow();
		this.threads.awaitTermination(5, TimeUnit.SECONDS);
		if (this.engine != null) {
			this.engine.shutdown(Duration.ofSeconds(1));
			this.engine.close();
		}
	}

	@ParameterizedTest
	@EnumSource(value = OverflowPolicy.class, names = { "DROP_OLDEST", "DROP_NEWEST" })
	void manyPublishersAndClientsKeepOrderAndAccounting(OverflowPolicy policy) throws Exception {
		this.engines.policy = policy;
		this.engines.maxQueuedEvents = 64;
		this.engines.maxBatchBytes = 2048;
		this.engine = this.engines.build();
		int clients = 40;
		List<RecordingTransport> transports = new ArrayList<>();
		List<SseConnection> connections = new ArrayList<>();
		for (int i = 0; i < clients; i++) {
			Set<String> topics = new LinkedHashSet<>();
			for (String topic : TOPICS) {
				if (ThreadLocalRandom.current().nextInt(3) == 0) {
					topics.add(topic);
				}
			}
			RecordingTransport transport = new RecordingTransport();
			if (i % 4 == 0) {
				transport.delayEachWrite(200_000); // a slow reader: overflows and drops
			}
			transports.add(transport);
			connections.add(this.engine.open(new SseSubscription(null, null, topics, null), transport));
		}
		Map<String, Set<String>> published = new ConcurrentHashMap<>();
		int publishers = 8;
		int perPublisher = 1500;
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> running = new ArrayList<>();
		for (int p = 0; p < publishers; p++) {
			int publisher = p;
			running.add(this.threads.submit(() -> {
				start.await();
				for (int n = 0; n < perPublisher; n++) {
					ThreadLocalRandom random = ThreadLocalRandom.current();
					Set<String> topics = new LinkedHashSet<>();
					topics.add(TOPICS.get(random.nextInt(TOPICS.size())));
					if (random.nextInt(4) == 0) {
						topics.add(TOPICS.get(random.nextInt(TOPICS.size())));
					}
					boolean broadcast = random.nextInt(50) == 0;
					String id = broadcast ? this.engine.broadcast(SseEvent.ofData(publisher + ":" + n))
							: this.engine.publish(topics, SseEvent.ofData(publisher + ":" + n));
					published.put(id, broadcast ? Set.of() : topics);
				}
				return null;
			}));
		}
		start.countDown();
		for (Future<?> future : running) {
			future.get(60, TimeUnit.SECONDS);
		}
		assertThat(published).hasSize(publishers * perPublisher);
		await().atMost(Duration.ofSeconds(60)).until(() -> connections.stream()
			.allMatch((c) -> c.queuedFrames() == 0 && c.deliveredEvents() + c.droppedEvents() == expected(c, published)));
		long offered = 0;
		for (int i = 0; i < clients; i++) {
			SseConnection connection = connections.get(i);
			RecordingTransport transport = transports.get(i);
			List<SseWire.Block> events = transport.events();
			assertThat(transport.overlapped()).as("two drainers wrote at once").isFalse();
			assertThat(events).hasSize((int) connection.deliveredEvents());
			long previous = 0;
			Set<String> seen = new HashSet<>();
			for (SseWire.Block event : events) {
				long sequence = Long.parseLong(event.id().substring(event.id().indexOf('-') + 1));
				assertThat(sequence).as("publication order").isGreaterThan(previous);
				previous = sequence;
				assertThat(seen.add(event.id())).as("no duplicate").isTrue();
				Set<String> topics = published.get(event.id());
				assertThat(topics.isEmpty() || topics.stream().anyMatch(connection.topics()::contains))
					.as("only events meant for this client").isTrue();
			}
			offered += expected(connection, published);
		}
		SseCounters counters = this.engine.counters();
		assertThat(counters.delivered() + counters.droppedTotal()).isEqualTo(offered);
		assertThat(counters.dropped(DropReason.QUEUE_FULL)).as("slow clients overflowed").isPositive();
		assertThat(counters.published()).isEqualTo(publishers * perPublisher);
	}

	/** Events published to any of the client's topics; broadcasts (empty topic set) count for everyone. */
	private static long expected(SseConnection connection, Map<String, Set<String>> published) {
		return published.values()
			.stream()
			.filter((topics) -> topics.isEmpty() || topics.stream().anyMatch(connection.topics()::contains))
			.count();
	}

	@Test
	void replayJoinsTheLiveStreamWithoutGapOrDuplicateWhilePublishing() throws Exception {
		this.engines.history = 100_000;
		this.engines.maxQueuedEvents = 100_000;
		this.engines.maxQueuedBytes = 1L << 30;
		this.engine = this.engines.build();
		List<String> ids = new java.util.concurrent.CopyOnWriteArrayList<>();
		CountDownLatch go = new CountDownLatch(1);
		Future<?> publisher = this.threads.submit(() -> {
			go.await();
			for (int n = 0; n < 20_000 && !Thread.currentThread().isInterrupted(); n++) {
				ids.add(this.engine.publish("t", SseEvent.ofData(Integer.toString(n))));
				if (n % 100 == 0) {
					Thread.yield();
				}
			}
			return null;
		});
		go.countDown();
		List<RecordingTransport> transports = new ArrayList<>();
		List<String> resumedFrom = new ArrayList<>();
		while (!publisher.isDone() && transports.size() < 60) {
			if (ids.size() < 10) {
				continue;
			}
			String lastEventId = ids.get(ThreadLocalRandom.current().nextInt(ids.size() - 5, ids.size()));
			RecordingTransport transport = new RecordingTransport();
			this.engine.open(new SseSubscription(null, null, Set.of("t"), lastEventId), transport);
			transports.add(transport);
			resumedFrom.add(lastEventId);
			TimeUnit.MILLISECONDS.sleep(2);
		}
		publisher.get(60, TimeUnit.SECONDS);
		assertThat(transports).hasSizeGreaterThan(5);
		String last = ids.get(ids.size() - 1);
		await().atMost(Duration.ofSeconds(30)).until(() -> transports.stream()
			.allMatch((t) -> t.text().endsWith("id: " + last + "\ndata: " + (ids.size() - 1) + "\n\n")));
		for (int i = 0; i < transports.size(); i++) {
			List<String> received = transports.get(i).events().stream().map(SseWire.Block::id).toList();
			int from = ids.indexOf(resumedFrom.get(i));
			assertThat(received).as("client resumed after %s", resumedFrom.get(i))
				.containsExactlyElementsOf(ids.subList(from + 1, ids.size()));
			assertThat(transports.get(i).blocks().get(2).id()).as("connected notice keeps the resume position")
				.isEqualTo(resumedFrom.get(i));
		}
		assertThat(this.engine.counters().droppedTotal()).isZero();
	}

	@Test
	void anOfferRacingWithTheDrainerGoingIdleIsNeverStranded() {
		this.engine = this.engines.build();
		RecordingTransport transport = new RecordingTransport();
		SseConnection connection = this.engine.open(TestEngines.topics("ping"), transport);
		await().until(() -> transport.writes() == 1);
		// Offer the next frame the moment the previous one is written: that is when the drainer
		// is deciding to go idle, the window in which a wake-up can be lost.
		for (int n = 0; n < 50_000; n++) {
			int writes = transport.writes();
			connection.offer(io.github.ssestarter.encode.SseFrame.event(PING, System.nanoTime()));
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
			while (transport.writes() == writes) {
				assertThat(System.nanoTime() - deadline).as("frame %d stranded in the queue", n).isNegative();
				Thread.onSpinWait();
			}
		}
		assertThat(connection.deliveredEvents()).isEqualTo(50_000);
	}

	private static final byte[] PING = "data: ping\n\n".getBytes();

	@Test
	void offersRacingWithCloseAreAllAccountedFor() throws Exception {
		this.engine = this.engines.build();
		for (int round = 0; round < 200; round++) {
			RecordingTransport transport = new RecordingTransport();
			SseConnection connection = this.engine.open(TestEngines.topics("race"), transport);
			CountDownLatch go = new CountDownLatch(1);
			Future<?> closer = this.threads.submit(() -> {
				go.await();
				connection.close(CloseReason.EVICTED);
				return null;
			});
			go.countDown();
			int offered = 0;
			for (int n = 0; n < 50; n++) {
				if (connection.offer(io.github.ssestarter.encode.SseFrame.event(("data: " + n + "\n\n").getBytes(),
						System.nanoTime())) == OfferResult.ACCEPTED) {
					offered++;
				}
			}
			closer.get(5, TimeUnit.SECONDS);
			int accepted = offered;
			await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(5)).until(() -> transport.isCompleted()
					&& connection.deliveredEvents() + connection.droppedEvents() == accepted);
			assertThat(connection.queuedFrames()).isZero();
		}
		await().until(() -> this.engine.liveConnections() == 0);
	}

}
