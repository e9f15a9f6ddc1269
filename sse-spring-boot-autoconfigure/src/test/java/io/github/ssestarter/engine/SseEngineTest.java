package io.github.ssestarter.engine;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseTopics;
import io.github.ssestarter.store.HistoryPage;
import io.github.ssestarter.store.OutgoingEvent;
import io.github.ssestarter.store.SseEventStore;
import io.github.ssestarter.store.StoredEvent;
import io.github.ssestarter.support.RecordingTransport;
import io.github.ssestarter.support.SseWire;
import io.github.ssestarter.support.TestEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

class SseEngineTest {

	private final TestEngines engines = new TestEngines();

	private SseEngine engine;

	@AfterEach
	void shutdown() {
		if (this.engine != null) {
			this.engine.shutdown(Duration.ofSeconds(1));
			this.engine.close();
		}
	}

	private SseEngine engine() {
		this.engine = this.engines.build();
		return this.engine;
	}

	/**
	 * Open a stream on topic "t" and publish one event whose write the transport holds:
	 * the drainer is then busy, and what is published next stays queued.
	 */
	private static SseConnection openWithWriteInFlight(SseEngine engine, RecordingTransport transport, String data) {
		SseConnection connection = engine.open(TestEngines.topics("t"), transport);
		await().until(() -> transport.blocks().size() == 3);
		transport.hold();
		engine.publish("t", SseEvent.ofData(data));
		await().until(() -> connection.queuedFrames() == 0);
		return connection;
	}

	/** Publish e0, e1, … to topic "t"; returns their ids. */
	private static List<String> publish(SseEngine engine, int count) {
		List<String> ids = new java.util.ArrayList<>();
		for (int i = 0; i < count; i++) {
			ids.add(engine.publish("t", SseEvent.ofData("e" + i)));
		}
		return ids;
	}

	private static List<String> data(RecordingTransport transport) {
		return transport.events().stream().map(SseWire.Block::data).toList();
	}

	@Test
	void streamStartsWithCommentRetryAndConnectedNoticeCarryingThePosition() {
		SseEngine engine = engine();
		String before = engine.publish("news", SseEvent.ofData("old"));
		RecordingTransport transport = new RecordingTransport();
		SseConnection connection = engine.open(TestEngines.topics("news"), transport);
		engine.publish("news", SseEvent.of("n", "fresh"));
		await().until(() -> transport.events().size() == 1);
		List<SseWire.Block> blocks = transport.blocks();
		assertThat(blocks.get(0).comments()).containsExactly("connected");
		assertThat(blocks.get(1).retry()).isEqualTo("3000");
		assertThat(blocks.get(1).data()).isNull();
		assertThat(blocks.get(2).event()).isEqualTo("sse.connected");
		assertThat(blocks.get(2).id()).isEqualTo(before);
		assertThat(blocks.get(2).data()).isEqualTo("{\"clientId\":\"" + connection.clientId() + "\",\"topics\":[\"news\",\"client:"
				+ connection.clientId() + "\"]}");
		assertThat(blocks.get(3).event()).isEqualTo("n");
		assertThat(blocks.get(3).data()).isEqualTo("fresh");
		assertThat(blocks).hasSize(4);
	}

	@Test
	void theConnectedNoticeCanBeTurnedOff() {
		this.engines.connectedEvent = false;
		SseEngine engine = engine();
		RecordingTransport transport = new RecordingTransport();
		engine.open(TestEngines.topics("news"), transport);
		String id = engine.publish("news", SseEvent.ofData("first"));
		await().until(() -> transport.events().size() == 1);
		assertThat(transport.blocks()).extracting(SseWire.Block::comments, SseWire.Block::retry, SseWire.Block::id)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(List.of("connected"), null, null),
					org.assertj.core.groups.Tuple.tuple(List.of(), "3000", null),
					org.assertj.core.groups.Tuple.tuple(List.of(), null, id));
	}

	@Test
	void queuedEventsAreWrittenInOneBatchInOrder() {
		SseEngine engine = engine();
		RecordingTransport transport = new RecordingTransport();
		openWithWriteInFlight(engine, transport, "first");
		for (int i = 0; i < 100; i++) {
			engine.publish("t", SseEvent.ofData("e" + i));
		}
		int writesBefore = transport.writes();
		transport.release();
		await().until(() -> transport.events().size() == 101);
		assertThat(transport.writes() - writesBefore).isEqualTo(2); // "first", then the other 100 together
		assertThat(data(transport).subList(1, 101)).containsExactlyElementsOf(
				java.util.stream.IntStream.range(0, 100).mapToObj((i) -> "e" + i).toList());
		assertThat(engine.counters().delivered()).isEqualTo(101);
	}

	@Test
	void aStreamThatFallsBehindCatchesUpFromTheHistoryAndRejoinsTheLiveFlow() {
		this.engines.maxQueuedEvents = 5;
		SseEngine engine = engine();
		RecordingTransport transport = new RecordingTransport();
		SseConnection connection = openWithWriteInFlight(engine, transport, "in-flight");
		List<String> ids = publish(engine, 30);
		assertThat(connection.queuedFrames()).isEqualTo(5);
		assertThat(connection.isCatchingUp()).isTrue();
		transport.release();
		await().until(() -> transport.events().size() == 31);
		ids.add(engine.publish("t", SseEvent.ofData("live")));
		await().until(() -> transport.events().size() == 32);
		assertThat(transport.events().stream().skip(1).map(SseWire.Block::id)).containsExactlyElementsOf(ids);
		assertThat(data(transport).get(31)).isEqualTo("live");
		assertThat(transport.blocks()).noneMatch((block) -> "sse.reset".equals(block.event()));
		assertThat(connection.isCatchingUp()).isFalse();
		SseCounters counters = engine.counters();
		assertThat(counters.catchUps()).isEqualTo(1);
		assertThat(counters.caughtUp()).isEqualTo(25); // e5..e29 from the history
		assertThat(counters.delivered()).isEqualTo(7); // in-flight, e0..e4 queued, then live
		assertThat(counters.droppedTotal()).isZero();
		assertThat(connection.deliveredEvents()).isEqualTo(32);
	}

	@Test
	void aStreamBehindTheHistoryGetsOneLaggedResetWhereTheGapIsThenLiveEvents() {
		this.engines.maxQueuedEvents = 5;
		this.engines.history = 10;
		SseEngine engine = engine();
		RecordingTransport transport = new RecordingTransport();
		openWithWriteInFlight(engine, transport, "in-flight");
		List<String> ids = publish(engine, 30);
		transport.release();
		await().until(() -> transport.blocks().stream().anyMatch((block) -> "sse.reset".equals(block.event())));
		String live = engine.publish("t", SseEvent.ofData("live"));
		await().until(() -> transport.events().size() == 7);
		// e0..e4 were queued; e5..e19 left the 10-event history: the reset says where the client stands.
		assertThat(data(transport)).containsExactly("in-flight", "e0", "e1", "e2", "e3", "e4", "live");
		List<SseWire.Block> blocks = transport.blocks();
		SseWire.Block reset = blocks.get(blocks.size() - 2);
		assertThat(reset.event()).isEqualTo("sse.reset");
		assertThat(reset.data()).isEqualTo("{\"reason\":\"lagged\",\"lastEventId\":\"" + ids.get(4) + "\"}");
		assertThat(reset.id()).isEqualTo(ids.get(29)); // the client resumes after the last event published
		assertThat(blocks.get(blocks.size() - 1).id()).isEqualTo(live);
		assertThat(engine.counters().resets(ResetReason.LAGGED)).isEqualTo(1);
	}

	@Test
	void dropNewestKeepsTheOldestThenSaysHowManyItMissed() {
		this.engines.policy = OverflowPolicy.DROP_NEWEST;
		this.engines.maxQueuedEvents = 10;
		SseEngine engine = engine();
		RecordingTransport transport = new RecordingTransport();
		SseConnection connection = openWithWriteInFlight(engine, transport, "in-flight");
		List<String> ids = publish(engine, 30);
		assertThat(connection.queuedFrames()).isEqualTo(10);
		transport.release();
		// Nothing else is published: the notice still comes, after the last event kept.
		await().until(() -> transport.blocks().stream().anyMatch((block) -> "sse.reset".equals(block.event())));
		assertThat(data(transport)).containsExactly("in-flight", "e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8",
				"e9");
		List<SseWire.Block> blocks = transport.blocks();
		SseWire.Block notice = blocks.get(blocks.size() - 1);
		assertThat(notice.event()).isEqualTo("sse.reset");
		assertThat(notice.data()).isEqualTo("{\"reason\":\"dropped\",\"missed\":20}");
		assertThat(notice.id()).isEqualTo(ids.get(29)); // the client continues after the last event dropped
		engine.publish("t", SseEvent.ofData("next"));
		await().until(() -> transport.events().size() == 12);
		assertThat(transport.blocks().get(transport.blocks().size() - 1).data()).isEqualTo("next");
		assertThat(connection.droppedEvents()).isEqualTo(20);
		assertThat(engine.counters().dropped(DropReason.QUEUE_FULL)).isEqualTo(20);
		assertThat(engine.counters().resets(ResetReason.DROPPED)).isEqualTo(1);
		assertThat(connection.deliveredEvents() + connection.droppedEvents()).isEqualTo(32);
	}

	@Test
	void withoutAHistoryAClientResumingAfterMissedEventsIsToldSo() {
		this.engines.history = 0; // sse.replay.enabled=false
		SseEngine engine = engine();
		String seen = engine.publish("t", SseEvent.ofData("seen"));
		String missed = engine.publish("t", SseEvent.ofData("missed"));
		RecordingTransport resumed = new RecordingTransport();
		engine.open(new SseSubscription(null, null, Set.of("t"), seen), resumed);
		await().until(() -> resumed.blocks().size() == 4);
		SseWire.Block reset = resumed.blocks().get(3);
		assertThat(reset.event()).isEqualTo("sse.reset");
		assertThat(reset.data()).isEqualTo("{\"reason\":\"expired\",\"lastEventId\":\"" + seen + "\"}");
		assertThat(reset.id()).isEqualTo(missed);
		// A client that missed nothing just goes on.
		RecordingTransport upToDate = new RecordingTransport();
		engine.open(new SseSubscription(null, null, Set.of("t"), missed), upToDate);
		String live = engine.publish("t", SseEvent.ofData("live"));
		await().until(() -> upToDate.events().size() == 1);
		assertThat(upToDate.blocks()).noneMatch((block) -> "sse.reset".equals(block.event()));
		assertThat(upToDate.events().get(0).id()).isEqualTo(live);
	}

	@Test
	void aStoreThatIsAheadOfThisNodeEndsTheResumingStreamWithARetryHintAndNothingElse() {
		// The race behind a made-up refusal: the wait before opening said this node had delivered
		// the client's id, the store then says the id is beyond what this node delivered.
		this.engines.storeWrapper = AheadOfThisNode::new;
		SseEngine engine = engine();
		String seen = engine.publish("t", SseEvent.ofData("seen"));
		RecordingTransport resumed = new RecordingTransport();
		engine.open(new SseSubscription(null, null, Set.of("t"), seen), resumed);
		await().until(resumed::isCompleted);
		assertThat(resumed.blocks()).noneMatch((block) -> "sse.reset".equals(block.event()) || block.data() != null
				&& block.data().equals("seen"));
		assertThat(resumed.blocks().get(resumed.blocks().size() - 1).retry()).isNotNull();
		assertThat(engine.counters().closed(CloseReason.BEHIND)).isEqualTo(1);
		assertThat(engine.counters().resets(ResetReason.UNAVAILABLE)).isZero();
	}

	/** A history that answers every range read with "this node is behind the client's id". */
	private record AheadOfThisNode(SseEventStore delegate) implements SseEventStore {

		@Override
		public StoredEvent append(OutgoingEvent event) {
			return this.delegate.append(event);
		}

		@Override
		public String latestId() {
			return this.delegate.latestId();
		}

		@Override
		public HistoryPage read(String afterId, String upToId, Predicate<StoredEvent> filter, int maxEvents,
				long maxBytes) {
			return HistoryPage.reset(HistoryPage.Reset.BEHIND, upToId);
		}

	}

	@Test
	void describesHowItRunsInOneLineForTheStartUpLog() {
		this.engines.heartbeat = Duration.ofMillis(1500);
		assertThat(engine().describe()).isEqualTo("writers on 2 platform threads; backplane local (this node only); "
				+ "up to 10000 streams, 5 per user (reject); each stream queues up to 1000 events or 1024 KB (catch-up); "
				+ "heartbeat every 1500 ms; streams last up to 30 min");
	}

	@Test
	void dropOldestKeepsTheNewestAfterSayingHowManyItMissed() {
		this.engines.policy = OverflowPolicy.DROP_OLDEST;
		this.engines.maxQueuedEvents = 5;
		SseEngine engine = engine();
		RecordingTransport transport = new RecordingTransport();
		openWithWriteInFlight(engine, transport, "in-flight");
		List<String> ids = publish(engine, 30);
		transport.release();
		await().until(() -> transport.events().size() == 6);
		assertThat(data(transport)).containsExactly("in-flight", "e25", "e26", "e27", "e28", "e29");
		List<SseWire.Block> blocks = transport.blocks();
		SseWire.Block notice = blocks.get(blocks.size() - 6);
		assertThat(notice.event()).isEqualTo("sse.reset");
		assertThat(notice.data()).isEqualTo("{\"reason\":\"dropped\",\"missed\":25}");
		assertThat(notice.id()).isEqualTo(ids.get(24));
		assertThat(engine.counters().dropped(DropReason.QUEUE_FULL)).isEqualTo(25);
	}

	@Test
	void theByteCapHoldsAndALargeEventStillReachesAnIdleClient() {
		this.engines.maxQueuedBytes = 1000;
		this.engines.policy = OverflowPolicy.DROP_NEWEST;
		SseEngine engine = engine();
		RecordingTransport transport = new RecordingTransport();
		// larger than the byte cap, but the queue is empty: accepted
		SseConnection connection = openWithWriteInFlight(engine, transport, "x".repeat(5000));
		for (int i = 0; i < 20; i++) {
			engine.publish("t", SseEvent.ofData("y".repeat(100)));
		}
		assertThat(connection.queuedBytes()).isLessThanOrEqualTo(1000);
		assertThat(connection.queuedFrames()).isBetween(1, 9);
		transport.release();
		await().until(() -> connection.deliveredEvents() + connection.droppedEvents() == 21);
		assertThat(transport.events().get(0).data()).hasSize(5000);
	}

	@Test
	void disconnectPolicyClosesTheSlowClientAndCountsEverything() {
		this.engines.policy = OverflowPolicy.DISCONNECT;
		this.engines.maxQueuedEvents = 3;
		SseEngine engine = engine();
		RecordingTransport transport = new RecordingTransport();
		SseConnection connection = openWithWriteInFlight(engine, transport, "in-flight");
		for (int i = 0; i < 5; i++) {
			engine.publish("t", SseEvent.ofData("e" + i));
		}
		assertThat(connection.isOpen()).isFalse();
		assertThat(connection.closeReason()).isEqualTo(CloseReason.SLOW);
		assertThat(engine.registry().connectionCount()).isZero();
		transport.release();
		await().until(transport::isCompleted);
		// in-flight delivered; e0..e2 queued then discarded; e3 refused; e4 never offered (unregistered)
		assertThat(connection.deliveredEvents()).isEqualTo(1);
		assertThat(transport.events()).hasSize(1); // nothing after what it wrote: a reconnect resumes exactly
		assertThat(engine.counters().dropped(DropReason.QUEUE_FULL)).isEqualTo(1);
		assertThat(engine.counters().dropped(DropReason.DISCONNECTED)).isEqualTo(3);
		assertThat(engine.counters().closed(CloseReason.SLOW)).isEqualTo(1);
	}

	@Test
	void aFailedWriteClosesTheStreamAsClientGoneAndCompletesIt() {
		SseEngine engine = engine();
		RecordingTransport transport = new RecordingTransport();
		SseConnection connection = engine.open(TestEngines.topics("t"), transport);
		await().until(() -> transport.blocks().size() == 3);
		transport.failWrites();
		engine.publish("t", SseEvent.ofData("lost"));
		await().until(() -> engine.liveConnections() == 0);
		assertThat(connection.closeReason()).isEqualTo(CloseReason.CLIENT);
		assertThat(transport.isCompleted()).isTrue(); // ends the request, which the container may not do
		assertThat(engine.counters().dropped(DropReason.DISCONNECTED)).isEqualTo(1);
		assertThat(engine.publish("t", SseEvent.ofData("after"))).isNotNull(); // publishing does not care
	}

	@Test
	void anEventForSeveralTopicsOfAClientArrivesOnce() {
		SseEngine engine = engine();
		RecordingTransport both = new RecordingTransport();
		RecordingTransport onlyB = new RecordingTransport();
		engine.open(TestEngines.topics("a", "b"), both);
		engine.open(TestEngines.topics("b"), onlyB);
		engine.publish(List.of("a", "b", "c"), SseEvent.ofData("once"));
		engine.broadcast(SseEvent.ofData("everyone"));
		await().until(() -> both.events().size() == 2 && onlyB.events().size() == 2);
		assertThat(data(both)).containsExactly("once", "everyone");
		assertThat(data(onlyB)).containsExactly("once", "everyone");
	}

	@Test
	void reservedTopicsRouteToTheirOwners() {
		SseEngine engine = engine();
		RecordingTransport alice = new RecordingTransport();
		RecordingTransport bob = new RecordingTransport();
		SseConnection aliceStream = engine.open(new SseSubscription("alice", "s1", Set.of(), null), alice);
		engine.open(new SseSubscription("bob", "s2", Set.of(), null), bob);
		assertThat(aliceStream.topics()).containsExactlyInAnyOrder(SseTopics.client(aliceStream.clientId()),
				"user:alice", "session:s1");
		engine.sendToUser("alice", SseEvent.ofData("to alice"));
		engine.sendToSession("s2", SseEvent.ofData("to bob's session"));
		engine.sendToClient(aliceStream.clientId(), SseEvent.ofData("to alice's stream"));
		await().until(() -> alice.events().size() == 2 && bob.events().size() == 1);
		assertThat(data(alice)).containsExactly("to alice", "to alice's stream");
		assertThat(data(bob)).containsExactly("to bob's session");
		// the session id is never echoed to the page
		assertThat(alice.blocks().get(2).data()).doesNotContain("session");
		assertThat(engine.isUserOnline("alice")).isTrue();
		assertThat(engine.isUserOnline("carol")).isFalse();
		assertThat(engine.stats().users()).isEqualTo(2);
	}

	@Test
	void disconnectUserAndClientCloseStreamsAndCompleteThem() {
		SseEngine engine = engine();
		RecordingTransport a1 = new RecordingTransport();
		RecordingTransport a2 = new RecordingTransport();
		RecordingTransport b = new RecordingTransport();
		engine.open(new SseSubscription("alice", null, Set.of(), null), a1);
		engine.open(new SseSubscription("alice", null, Set.of(), null), a2);
		SseConnection bobStream = engine.open(new SseSubscription("bob", null, Set.of(), null), b);
		assertThat(engine.disconnectUser("alice")).isEqualTo(2);
		assertThat(engine.isUserOnline("alice")).isFalse();
		await().until(() -> a1.isCompleted() && a2.isCompleted());
		assertThat(engine.disconnectClient(bobStream.clientId())).isTrue();
		assertThat(engine.disconnectClient(bobStream.clientId())).isFalse();
		await().until(b::isCompleted);
		assertThat(engine.counters().closed(CloseReason.EVICTED)).isEqualTo(3);
		assertThat(engine.stats().connections()).isZero();
		assertThat(engine.stats().topics()).isZero();
	}

	@Test
	void aFullNodeTellsNewClientsToComeBackLaterWithA200() {
		this.engines.maxConnections = 2;
		SseEngine engine = engine();
		SseConnection first = engine.open(TestEngines.topics("t"), new RecordingTransport());
		engine.open(TestEngines.topics("t"), new RecordingTransport());
		RecordingTransport refused = new RecordingTransport();
		assertThat(engine.open(TestEngines.topics("t"), refused)).isNull();
		assertThat(refused.isCompleted()).isTrue();
		List<SseWire.Block> blocks = refused.blocks();
		assertThat(Long.parseLong(blocks.get(0).retry())).isBetween(3000L, 6000L);
		assertThat(blocks.get(1).event()).isEqualTo("sse.overloaded");
		assertThat(blocks.get(1).data()).isEqualTo("{\"reason\":\"server-full\",\"maxConnections\":2}");
		assertThat(engine.counters().opened() - engine.counters().closed(CloseReason.LIMIT))
			.isEqualTo(engine.registry().connectionCount());
		first.close(CloseReason.EVICTED);
		assertThat(engine.open(TestEngines.topics("t"), new RecordingTransport())).isNotNull();
	}

	@Test
	void aUserBeyondTheLimitIsRejectedWithoutDisturbingTheirStreams() {
		this.engines.maxConnectionsPerUser = 2;
		SseEngine engine = engine();
		engine.open(new SseSubscription("ann", null, Set.of(), null), new RecordingTransport());
		engine.open(new SseSubscription("ann", null, Set.of(), null), new RecordingTransport());
		org.assertj.core.api.Assertions
			.assertThatExceptionOfType(SseUserLimitException.class)
			.isThrownBy(() -> engine.open(new SseSubscription("ann", null, Set.of(), null), new RecordingTransport()))
			.satisfies((ex) -> assertThat(ex.maxConnectionsPerUser()).isEqualTo(2));
		assertThat(engine.registry().userConnections("ann")).hasSize(2);
		assertThat(engine.counters().closed(CloseReason.LIMIT)).isEqualTo(1);
		assertThat(engine.open(new SseSubscription("ben", null, Set.of(), null), new RecordingTransport())).isNotNull();
	}

	@Test
	void aStreamOfAClosedTabDoesNotCountAgainstTheLimitOnceProbed() {
		this.engines.maxConnectionsPerUser = 2;
		SseEngine engine = engine();
		RecordingTransport live = new RecordingTransport();
		RecordingTransport closedTab = new RecordingTransport();
		engine.open(new SseSubscription("ann", null, Set.of(), null), live);
		engine.open(new SseSubscription("ann", null, Set.of(), null), closedTab);
		await().until(() -> closedTab.blocks().size() == 3);
		closedTab.failWrites(); // the tab is gone; nothing has been written to it since
		SseConnection reloaded = engine.open(new SseSubscription("ann", null, Set.of(), null), new RecordingTransport());
		assertThat(reloaded).isNotNull();
		assertThat(engine.registry().userConnections("ann")).hasSize(2).contains(reloaded);
		assertThat(live.blocks()).anySatisfy((block) -> assertThat(block.comments()).contains("probe"));
	}

	@Test
	void evictOldestEndsTheOldestStreamTellingItsPageNotToReconnect() {
		this.engines.maxConnectionsPerUser = 2;
		this.engines.perUserPolicy = PerUserLimitPolicy.EVICT_OLDEST;
		SseEngine engine = engine();
		RecordingTransport oldest = new RecordingTransport();
		SseConnection first = engine.open(new SseSubscription("ann", null, Set.of(), null), oldest);
		await().until(() -> oldest.blocks().size() == 3);
		engine.open(new SseSubscription("ann", null, Set.of(), null), new RecordingTransport());
		SseConnection third = engine.open(new SseSubscription("ann", null, Set.of(), null), new RecordingTransport());
		assertThat(third).isNotNull();
		await().until(oldest::isCompleted);
		SseWire.Block evicted = oldest.blocks().get(oldest.blocks().size() - 1);
		assertThat(evicted.event()).isEqualTo("sse.evicted");
		assertThat(evicted.retry()).isEqualTo("3600000");
		assertThat(evicted.data()).isEqualTo(
				"{\"reason\":\"too-many-streams\",\"maxConnectionsPerUser\":2,\"reconnect\":false}");
		assertThat(first.closeReason()).isEqualTo(CloseReason.LIMIT);
		assertThat(engine.registry().userConnections("ann")).hasSize(2).doesNotContain(first);
	}

	@Test
	void theUserTopicCanBeLeftOut() {
		SseEngine engine = new TestEngines().build(false);
		this.engine = engine;
		SseConnection stream = engine.open(new SseSubscription("ann", null, Set.of(), null), new RecordingTransport());
		assertThat(stream.topics()).containsExactly("client:" + stream.clientId());
		assertThat(engine.isUserOnline("ann")).isTrue();
	}

	@Test
	void publishValidatesTopicsAndSize() {
		SseEngine engine = engine();
		assertThatIllegalArgumentException().isThrownBy(() -> engine.publish(List.of(), SseEvent.ofData("x")));
		assertThatIllegalArgumentException().isThrownBy(() -> engine.publish("", SseEvent.ofData("x")));
		assertThatIllegalArgumentException().isThrownBy(() -> engine.publish("a\nb", SseEvent.ofData("x")));
		assertThatIllegalArgumentException().isThrownBy(() -> engine.publish("t", SseEvent.ofData("x".repeat(2 << 20))))
			.withMessageContaining("sse.max-event-size");
		assertThat(engine.counters().published()).isZero();
	}

	@Test
	void quietStreamsGetHeartbeats() {
		this.engines.heartbeat = Duration.ofMillis(50);
		SseEngine engine = engine();
		RecordingTransport transport = new RecordingTransport();
		engine.open(TestEngines.topics("t"), transport);
		await().until(() -> transport.blocks().size() == 3);
		await().pollInterval(Duration.ofMillis(20)).until(() -> {
			engine.maintain();
			return transport.blocks().stream().anyMatch((block) -> block.comments().contains("heartbeat"));
		});
		assertThat(engine.counters().delivered()).isZero(); // heartbeats are not events
	}

	@Test
	void eventHeartbeatsCarryATimestamp() {
		this.engines.heartbeat = Duration.ofMillis(50);
		this.engines.heartbeatMode = HeartbeatMode.EVENT;
		SseEngine engine = engine();
		RecordingTransport transport = new RecordingTransport();
		engine.open(TestEngines.topics("t"), transport);
		await().pollInterval(Duration.ofMillis(20)).until(() -> {
			engine.maintain();
			return transport.blocks().stream().anyMatch((block) -> "heartbeat".equals(block.event()));
		});
		SseWire.Block heartbeat = transport.blocks().stream().filter((b) -> "heartbeat".equals(b.event())).findFirst()
			.orElseThrow();
		assertThat(heartbeat.id()).isNull(); // does not move the client's Last-Event-ID
		assertThat(heartbeat.data()).matches("\\{\"timestamp\":\\d{13}\\}");
	}

	@Test
	void streamsPastTheirLifetimeEndWithARetryHintAfterFlushing() {
		this.engines.maxLifetime = Duration.ofMillis(200);
		SseEngine engine = engine();
		RecordingTransport transport = new RecordingTransport();
		SseConnection connection = engine.open(TestEngines.topics("t"), transport);
		engine.publish("t", SseEvent.ofData("before the end"));
		await().pollInterval(Duration.ofMillis(20)).until(() -> {
			engine.maintain();
			return transport.isCompleted();
		});
		List<SseWire.Block> blocks = transport.blocks();
		assertThat(blocks.get(blocks.size() - 1).retry()).isEqualTo("3000");
		assertThat(data(transport)).containsExactly("before the end");
		assertThat(connection.closeReason()).isEqualTo(CloseReason.TIMEOUT);
		assertThat(engine.liveConnections()).isZero();
	}

	@Test
	void aBlockedWriterIsReplacedSoOtherClientsKeepFlowingThenTheSlowClientIsClosed() {
		this.engines.writerThreads = 1;
		this.engines.maxWriterThreads = 4;
		this.engines.writeTimeout = Duration.ofMillis(600);
		SseEngine engine = engine();
		RecordingTransport stalled = new RecordingTransport();
		RecordingTransport healthy = new RecordingTransport();
		SseConnection stalledStream = engine.open(TestEngines.topics("t"), stalled);
		engine.open(TestEngines.topics("t"), healthy);
		await().until(() -> stalled.blocks().size() == 3 && healthy.blocks().size() == 3);
		stalled.hold(); // the only writer thread will block in this client's write
		engine.publish("t", SseEvent.ofData("one"));
		engine.publish("t", SseEvent.ofData("two"));
		await().pollInterval(Duration.ofMillis(50)).atMost(Duration.ofSeconds(5)).until(() -> {
			engine.maintain();
			return healthy.events().size() == 2;
		});
		await().pollInterval(Duration.ofMillis(50)).until(() -> {
			engine.maintain();
			return !stalledStream.isOpen();
		});
		assertThat(stalledStream.closeReason()).isEqualTo(CloseReason.SLOW);
		stalled.release();
		await().until(() -> engine.liveConnections() == 1);
	}

	@Test
	void shutdownFlushesEndsWithRetryAndRefusesNewStreams() {
		SseEngine engine = engine();
		RecordingTransport transport = new RecordingTransport();
		engine.open(TestEngines.topics("t"), transport);
		engine.publish("t", SseEvent.ofData("last words"));
		engine.shutdown(Duration.ofSeconds(2));
		assertThat(transport.isCompleted()).isTrue();
		assertThat(data(transport)).containsExactly("last words");
		List<SseWire.Block> blocks = transport.blocks();
		assertThat(Long.parseLong(blocks.get(blocks.size() - 1).retry())).isBetween(3000L, 6000L);
		assertThat(engine.counters().closed(CloseReason.SHUTDOWN)).isEqualTo(1);
		RecordingTransport late = new RecordingTransport();
		assertThat(engine.open(TestEngines.topics("t"), late)).isNull();
		assertThat(late.isCompleted()).isTrue();
		assertThat(late.blocks()).singleElement().satisfies((block) -> assertThat(block.retry()).isNotNull());
		// a stopped application context can be started again
		engine.resume();
		RecordingTransport again = new RecordingTransport();
		engine.open(TestEngines.topics("t"), again);
		engine.publish("t", SseEvent.ofData("after restart"));
		await().until(() -> data(again).equals(List.of("after restart")));
	}

	@Test
	void aStreamIsGoneOnlyOnceTheContainerConfirmsItsCompletion() {
		SseEngine engine = engine();
		RecordingTransport transport = new RecordingTransport().confirmingCompletion();
		SseConnection connection = engine.open(TestEngines.topics("t"), transport);
		connection.close(CloseReason.EVICTED);
		await().until(transport::isCompleted);
		assertThat(engine.liveConnections()).as("completion not confirmed yet").isEqualTo(1);
		connection.transportClosed(CloseReason.CLIENT); // the container's onCompletion
		assertThat(engine.liveConnections()).isZero();
		assertThat(connection.closeReason()).isEqualTo(CloseReason.EVICTED);
	}

	@Test
	void shutdownClosesStreamsThatCannotFlushInTime() {
		SseEngine engine = engine();
		RecordingTransport stuck = new RecordingTransport();
		SseConnection connection = engine.open(TestEngines.topics("t"), stuck);
		await().until(() -> stuck.blocks().size() == 3);
		stuck.hold();
		engine.publish("t", SseEvent.ofData("never written"));
		engine.publish("t", SseEvent.ofData("never written either"));
		long start = System.nanoTime();
		engine.shutdown(Duration.ofMillis(300));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		assertThat(connection.isOpen()).isFalse();
		stuck.release();
	}

}
