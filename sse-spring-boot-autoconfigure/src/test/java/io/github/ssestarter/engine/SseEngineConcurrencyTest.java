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
import io.github.ssestarter.support.DeliveryCheck;
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
	@EnumSource(value = OverflowPolicy.class, names = { "CATCH_UP", "DROP_OLDEST", "DROP_NEWEST" })
	void manyPublishersAndClientsKeepOrderAndAccounting(OverflowPolicy policy) throws Exception {
		this.engines.policy = policy;
		this.engines.maxQueuedEvents = 64;
		this.engines.maxBatchBytes = 2048;
		this.engines.history = 100_000;
		this.engine = this.engines.build();
		Clients clients = openClients(40);
		DeliveryCheck published = publishConcurrently(8, 1500);
		await().atMost(Duration.ofSeconds(60)).until(() -> clients.connections.stream()
			.allMatch((c) -> c.queuedFrames() == 0 && !c.isCatchingUp()
					&& c.deliveredEvents() + c.droppedEvents() == expected(c, published)));
		long offered = 0;
		for (int i = 0; i < clients.connections.size(); i++) {
			SseConnection connection = clients.connections.get(i);
			RecordingTransport transport = clients.transports.get(i);
			assertThat(transport.overlapped()).as("two drainers wrote at once").isFalse();
			List<DeliveryCheck.Received> received = DeliveryCheck.fromBlocks(transport.blocks());
			DeliveryCheck.Outcome outcome = (policy == OverflowPolicy.CATCH_UP)
					? published.verifyComplete("client " + i, connection.topics(), null, received)
					: published.verify("client " + i, connection.topics(), null, received);
			assertThat(outcome.events()).isEqualTo(connection.deliveredEvents());
			offered += expected(connection, published);
		}
		SseCounters counters = this.engine.counters();
		assertThat(counters.published()).isEqualTo(8 * 1500);
		if (policy == OverflowPolicy.CATCH_UP) {
			// Every event reached every client: live, or from the history after falling behind.
			assertThat(counters.delivered() + counters.caughtUp()).isEqualTo(offered);
			assertThat(counters.catchUps()).as("slow clients fell behind").isPositive();
			assertThat(counters.droppedTotal()).isZero();
			assertThat(counters.resetsTotal()).isZero();
		}
		else {
			assertThat(counters.delivered() + counters.droppedTotal()).isEqualTo(offered);
			assertThat(counters.dropped(DropReason.QUEUE_FULL)).as("slow clients overflowed").isPositive();
			assertThat(counters.resets(ResetReason.DROPPED)).as("every gap announced").isPositive();
		}
	}

	@Test
	void streamsThatFallBehindASmallHistoryAreToldExactlyWhereTheyLostEvents() throws Exception {
		this.engines.maxQueuedEvents = 16;
		this.engines.maxBatchBytes = 1024;
		this.engines.history = 200;
		this.engine = this.engines.build();
		Clients clients = openClients(40);
		DeliveryCheck published = publishConcurrently(8, 1500);
		String last = this.engine.publish(TOPICS, SseEvent.ofData("last"));
		published.published(last, Set.copyOf(TOPICS));
		await().atMost(Duration.ofSeconds(60)).until(() -> clients.transports.stream()
			.allMatch((t) -> t.text().contains("id: " + last + "\n")));
		int resets = 0;
		for (int i = 0; i < clients.connections.size(); i++) {
			SseConnection connection = clients.connections.get(i);
			DeliveryCheck.Outcome outcome = published.verifyComplete("client " + i, connection.topics(), null,
					DeliveryCheck.fromBlocks(clients.transports.get(i).blocks()));
			assertThat(outcome.resets()).as("client %d: only lagged resets", i).containsOnlyKeys("lagged");
			resets += outcome.totalResets();
		}
		assertThat(resets).as("slow clients outran the history").isPositive();
		assertThat(this.engine.counters().resets(ResetReason.LAGGED)).isEqualTo(resets);
	}

	/** Clients on one to five random topics; every fourth one reads slowly. */
	private Clients openClients(int count) {
		Clients clients = new Clients(new ArrayList<>(), new ArrayList<>());
		for (int i = 0; i < count; i++) {
			Set<String> topics = new LinkedHashSet<>();
			topics.add(TOPICS.get(i % TOPICS.size()));
			for (String topic : TOPICS) {
				if (ThreadLocalRandom.current().nextInt(3) == 0) {
					topics.add(topic);
				}
			}
			RecordingTransport transport = new RecordingTransport();
			if (i % 4 == 0) {
				transport.delayEachWrite(200_000); // a slow reader: falls behind
			}
			clients.transports.add(transport);
			clients.connections.add(this.engine.open(new SseSubscription(null, null, topics, null), transport));
		}
		return clients;
	}

	private record Clients(List<SseConnection> connections, List<RecordingTransport> transports) {
	}

	/** Publish from several threads at once to random topics (and a few broadcasts); returns what was published. */
	private DeliveryCheck publishConcurrently(int publishers, int perPublisher) throws Exception {
		DeliveryCheck published = new DeliveryCheck();
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
					if (random.nextInt(50) == 0) {
						published.broadcast(this.engine.broadcast(SseEvent.ofData(publisher + ":" + n)));
					}
					else {
						published.published(this.engine.publish(topics, SseEvent.ofData(publisher + ":" + n)), topics);
					}
				}
				return null;
			}));
		}
		start.countDown();
		for (Future<?> future : running) {
			future.get(60, TimeUnit.SECONDS);
		}
		assertThat(published.publishedCount()).isEqualTo(publishers * perPublisher);
		return published;
	}

	/** Events published to any of the client's topics (broadcasts count for everyone). */
	private static long expected(SseConnection connection, DeliveryCheck published) {
		long count = 0;
		long position = 0;
		Long next;
		while ((next = published.nextFor(connection.topics(), position)) != null) {
			count++;
			position = next;
		}
		return count;
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
	void streamsOpeningAndClosingWhileEventsFlowGetEverythingAfterTheyOpenedAndClosedOnesLeaveTheDeliveryList()
			throws Exception {
		// A stream that falls behind catches up from the history, which holds every event here:
		// so no stream is ever told to reset, and any gap would be a silent loss.
		this.engines.history = 1_000_000;
		this.engine = this.engines.build();
		java.util.concurrent.atomic.AtomicLong lastPublished = new java.util.concurrent.atomic.AtomicLong();
		// Published until the streams are open, then 200 more, so that the last one opened gets some.
		java.util.concurrent.atomic.AtomicLong limit = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
		Future<?> publisher = this.threads.submit(() -> {
			for (int i = 1; i <= limit.get(); i++) {
				this.engine.publish(List.of("churn"), SseEvent.ofData(Integer.toString(i)));
				lastPublished.set(i);
				if (i % 50 == 0) {
					Thread.sleep(1);
				}
			}
			return null;
		});
		List<SseConnection> open = new ArrayList<>();
		List<RecordingTransport> transports = new ArrayList<>();
		// Read once a stream is open: every event after the next one is published once the
		// stream is registered, so it must reach the stream.
		List<Long> publishedWhenOpen = new ArrayList<>();
		List<SseConnection> closed = new ArrayList<>();
		while (open.size() < 150) {
			RecordingTransport transport = new RecordingTransport();
			transports.add(transport);
			open.add(this.engine.open(TestEngines.topics("churn"), transport));
			publishedWhenOpen.add(lastPublished.get());
			if (open.size() % 3 == 0) {
				SseConnection leaving = open.get(ThreadLocalRandom.current().nextInt(open.size()));
				if (leaving.close(CloseReason.CLIENT)) {
					closed.add(leaving);
				}
				assertThat(this.engine.registry().subscriberArray("churn")).doesNotContain(leaving);
			}
			Thread.sleep(1);
		}
		limit.set(lastPublished.get() + 200);
		publisher.get();
		int events = (int) lastPublished.get();
		for (int i = 0; i < open.size(); i++) {
			SseConnection connection = open.get(i);
			RecordingTransport transport = transports.get(i);
			if (!closed.contains(connection)) {
				int stream = i;
				await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(transport.text())
					.as("stream %d: delivered %d, queued %d, catching up %s, open %s, closed as %s", stream,
							connection.deliveredEvents(), connection.queuedFrames(), connection.isCatchingUp(),
							connection.isOpen(), connection.closeReason())
					.contains("data: " + events + "\n"));
			}
			assertThat(transport.blocks()).as("stream %d: notices", i)
				.noneMatch((block) -> "sse.reset".equals(block.event()));
			List<Integer> received = new ArrayList<>();
			for (SseWire.Block block : transport.events()) {
				received.add(Integer.parseInt(block.data()));
			}
			for (int j = 1; j < received.size(); j++) {
				assertThat(received.get(j)).as("stream %d: event after %d", i, received.get(j - 1))
					.isEqualTo(received.get(j - 1) + 1);
			}
			if (!closed.contains(connection)) {
				assertThat(received).as("stream %d", i).isNotEmpty();
				assertThat(received.get(0)).as("stream %d: first event (published when it was open: %d)", i,
						publishedWhenOpen.get(i))
					.isLessThanOrEqualTo((int) (publishedWhenOpen.get(i) + 2));
			}
		}
		assertThat(this.engine.registry().subscriberArray("churn")).hasSize(open.size() - closed.size())
			.doesNotContainAnyElementsOf(closed);
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

	@ParameterizedTest
	@EnumSource(value = OverflowPolicy.class, names = { "DISCONNECT", "DROP_OLDEST", "CATCH_UP" })
	void aStreamClosedWhileItsDrainerWritesEndsAfterItsLastFrameWithoutAGap(OverflowPolicy policy) throws Exception {
		this.engines.policy = policy;
		this.engines.maxQueuedEvents = 50;
		this.engines.maxBatchBytes = 512;
		this.engines.writerThreads = 4;
		this.engine = this.engines.build();
		DeliveryCheck published = new DeliveryCheck();
		List<String> gaps = new ArrayList<>();
		for (int round = 0; round < 200; round++) {
			RecordingTransport transport = new RecordingTransport().delayEachWrite(20_000);
			SseConnection connection = this.engine.open(TestEngines.topics("race"), transport);
			CountDownLatch go = new CountDownLatch(1);
			java.util.concurrent.atomic.AtomicBoolean publishing = new java.util.concurrent.atomic.AtomicBoolean(true);
			int closeAfter = ThreadLocalRandom.current().nextInt(1, 150);
			Future<?> closer = this.threads.submit(() -> {
				go.await();
				while (connection.deliveredEvents() < closeAfter && connection.isOpen() && publishing.get()) {
					Thread.onSpinWait();
				}
				connection.close(CloseReason.EVICTED); // as an eviction, a slow close or shutdown does
				return null;
			});
			go.countDown();
			for (int n = 0; n < 200 && connection.isOpen(); n++) {
				published.published(this.engine.publish("race", SseEvent.ofData(round + ":" + n)), Set.of("race"));
			}
			publishing.set(false);
			closer.get(10, TimeUnit.SECONDS);
			await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(10)).until(transport::isCompleted);
			try {
				DeliveryCheck.Outcome outcome = published.verify("round " + round, connection.topics(), null,
						DeliveryCheck.fromBlocks(transport.blocks()));
				if (policy != OverflowPolicy.DROP_OLDEST) {
					assertThat(outcome.totalResets()).as("round %d: nothing was dropped", round).isZero();
				}
			}
			catch (AssertionError ex) {
				gaps.add(ex.getMessage());
			}
		}
		assertThat(gaps).as("streams whose client received events after one it never got").isEmpty();
		await().until(() -> this.engine.liveConnections() == 0);
	}

	@Test
	void evictOldestHoldsThePerUserLimitUnderConcurrentOpensAndEveryEvictedPageIsTold() throws Exception {
		this.engines.perUserPolicy = PerUserLimitPolicy.EVICT_OLDEST;
		this.engines.maxConnectionsPerUser = 5;
		this.engines.policy = OverflowPolicy.DROP_OLDEST;
		this.engines.maxQueuedEvents = 2;
		this.engine = this.engines.build();
		// Events keep every stream's queue full, so a drop-oldest offer races with each eviction notice.
		Future<?> publisher = this.threads.submit(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				this.engine.sendToUser("alice", SseEvent.ofData("x"));
			}
			return null;
		});
		// Each stream with its own transport, recorded in one step: two lists filled by two
		// adds from 30 threads need not pair up (a thread preempted between its adds), and an
		// evicted stream would then be checked against a survivor's transport.
		Map<SseConnection, RecordingTransport> opened = new ConcurrentHashMap<>();
		for (int round = 0; round < 10; round++) {
			CountDownLatch go = new CountDownLatch(1);
			List<Future<?>> opens = new ArrayList<>();
			for (int i = 0; i < 30; i++) {
				opens.add(this.threads.submit(() -> {
					go.await();
					RecordingTransport transport = new RecordingTransport().delayEachWrite(100_000);
					SseConnection connection = this.engine
						.open(new SseSubscription("alice", null, Set.of(), null), transport);
					opened.put(connection, transport);
					return null;
				}));
			}
			go.countDown();
			for (Future<?> open : opens) {
				open.get(10, TimeUnit.SECONDS);
			}
			assertThat(this.engine.registry().userConnections("alice")).as("round %d", round).hasSize(5);
			assertThat(opened.keySet().stream().filter(SseConnection::isOpen)).as("round %d", round).hasSize(5);
		}
		publisher.cancel(true);
		assertThat(opened).hasSize(300);
		for (Map.Entry<SseConnection, RecordingTransport> entry : opened.entrySet()) {
			SseConnection connection = entry.getKey();
			if (connection.closeReason() == CloseReason.LIMIT) {
				RecordingTransport transport = entry.getValue();
				await().pollInterval(Duration.ofMillis(1)).until(transport::isCompleted);
				List<SseWire.Block> blocks = transport.blocks();
				assertThat(blocks.get(blocks.size() - 1).event()).as("the evicted page is told not to reconnect")
					.isEqualTo("sse.evicted");
			}
		}
		assertThat(this.engine.counters().closed(CloseReason.LIMIT)).isEqualTo(300 - 5);
	}

	@Test
	void aStreamThatFallsBehindAlwaysRejoinsOnceItHasWrittenWhatItQueued() throws Exception {
		this.engines.maxQueuedEvents = 1; // every other event overflows: the most transitions into catching up
		this.engine = this.engines.build();
		List<String> stuck = new ArrayList<>();
		for (int round = 0; round < 30 && stuck.isEmpty(); round++) {
			List<SseConnection> connections = new ArrayList<>();
			List<TailTransport> transports = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				TailTransport transport = new TailTransport();
				transports.add(transport);
				connections.add(this.engine.open(TestEngines.topics("burst"), transport));
			}
			String last = null;
			for (int n = 0; n < 20_000; n++) {
				last = this.engine.publish("burst", SseEvent.ofData(Integer.toString(n)));
			}
			String lastLine = "id: " + last + "\n";
			try {
				await().atMost(Duration.ofSeconds(10))
					.until(() -> transports.stream().allMatch((t) -> t.tail().contains(lastLine)));
			}
			catch (org.awaitility.core.ConditionTimeoutException ex) {
				for (int i = 0; i < connections.size(); i++) {
					if (!transports.get(i).tail().contains(lastLine)) {
						stuck.add("round " + round + ", stream " + i + ": catching up " + connections.get(i).isCatchingUp()
								+ ", queued " + connections.get(i).queuedFrames());
					}
				}
			}
			connections.forEach((connection) -> connection.close(CloseReason.EVICTED));
		}
		assertThat(stuck).as("streams that never received the last event").isEmpty();
	}

	/** A transport that is always ready, as fast as can be, and keeps only its last write. */
	private static final class TailTransport implements SseTransport {

		private volatile byte[] last = new byte[0];

		@Override
		public void write(byte[] bytes) {
			this.last = bytes;
		}

		@Override
		public void complete() {
		}

		String tail() {
			return new String(this.last, java.nio.charset.StandardCharsets.UTF_8);
		}

	}

}
