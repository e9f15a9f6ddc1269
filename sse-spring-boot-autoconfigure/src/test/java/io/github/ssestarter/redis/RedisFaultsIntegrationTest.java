package io.github.ssestarter.redis;

import java.io.BufferedReader;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseService;
import io.github.ssestarter.backplane.SseBackplaneException;
import io.github.ssestarter.engine.CloseReason;
import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.support.DeliveryCheck;
import io.github.ssestarter.support.LocalRedis;
import io.github.ssestarter.support.RawSseStream;
import io.github.ssestarter.support.TcpProxy;
import io.github.ssestarter.test.SseReceivedEvent;
import io.github.ssestarter.test.SseTestClient;
import io.github.ssestarter.testapp.plain.SseTestApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The Redis backplane under real faults: a {@code redis-server} process of the test's own,
 * two nodes that each reach it through a TCP proxy (so one node's network can be stalled
 * or cut alone), and real SSE clients on both. Every client is checked against one
 * invariant: what it received equals what was published to its topics after it joined, in
 * id order, once each, except right after an explicit {@code sse.reset}.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisFaultsIntegrationTest {

	private static final String TOPIC = "faults";

	private static final Set<String> TOPICS = Set.of(TOPIC);

	private final DeliveryCheck check = new DeliveryCheck();

	private final List<String> publishedIds = new ArrayList<>();

	private final List<AutoCloseable> resources = new ArrayList<>();

	private LocalRedis.Server redis;

	@BeforeEach
	void startRedis() throws Exception {
		LocalRedis.requireServers();
		this.redis = new LocalRedis.Server().start();
	}

	@AfterEach
	void stopEverything() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
		this.redis.close();
	}

	@Test
	void aRestartFromAnOlderSnapshotStartsANewGenerationInsteadOfReusingIds() throws Exception {
		Node a = node();
		Node b = node();
		Client onA = a.subscribe();
		Client onB = b.subscribe();
		publish(a, "b1", "b2", "b3");
		publish(b, "b4", "b5");
		this.redis.save();
		publish(a, "m1", "m2");
		publish(b, "m3", "m4");
		receiveUpToLast(onA, onB);

		this.redis.kill();
		this.redis.start(); // from the snapshot: b1..b5 are back, m1..m4 are not

		publishOnceRedisAnswers(a, "a1");
		publishOnceRedisAnswers(b, "a2"); // each node's connection comes back on its own
		publish(b, "a3");
		publish(a, "a4");
		verifyEveryIdOneEventAndEachClientUpToLast(1, onA, onB);
	}

	@Test
	void aClientResumingWithAnIdFromBeforeARestartIsResetToTheNewGenerationAndGetsAllOfIt() throws Exception {
		Node a = node();
		publish(a, "x1", "x2");
		String before = last();
		this.redis.kill();
		this.redis.start(); // empty: x1, x2 are lost
		publishOnceRedisAnswers(a, "y1");
		publish(a, "y2", "y3");

		// The client has none of the new generation: the reset goes exactly before it.
		Client resumed = a.subscribe(before);
		resumed.verifyUpTo(last(), 1, this.check.order(before));
	}

	@Test
	void aFailoverToAReplicaThatLaggedStartsANewGenerationInsteadOfReusingIds() throws Exception {
		LocalRedis.Server replica = new LocalRedis.Server().startReplicaOf(this.redis);
		this.resources.add(replica);
		Node a = node();
		Node b = node();
		Client onA = a.subscribe();
		Client onB = b.subscribe();
		publish(a, "x1", "x2", "x3");
		String stream = "{" + a.prefix + "}:events";
		await().atMost(Duration.ofSeconds(10)).until(() -> replica.cli("XLEN", stream).equals("3"));
		replica.pause(); // the replica falls behind
		publish(b, "m1", "m2", "m3");
		receiveUpToLast(onA, onB);

		this.redis.kill();
		replica.resume();
		replica.promote(); // m1..m3 never reached it
		a.proxy.retarget(replica.port());
		b.proxy.retarget(replica.port());

		publishOnceRedisAnswers(a, "a1");
		publishOnceRedisAnswers(b, "a2"); // each node's connection comes back on its own
		publish(b, "a3");
		verifyEveryIdOneEventAndEachClientUpToLast(1, onA, onB);
	}

	@Test
	void aReplicaAttachingToThePrimaryIsNotAReset() throws Exception {
		// A primary that had no replica gives itself a new replication id when the first one
		// attaches (and when one comes back after its backlog expired): no data changed.
		Node a = node();
		Client onA = a.subscribe();
		publish(a, "e1", "e2");
		String before = this.redis.info("replication");
		LocalRedis.Server replica = new LocalRedis.Server().startReplicaOf(this.redis);
		this.resources.add(replica);
		assertThat(this.redis.info("replication")).as("the primary's replication id changed")
			.doesNotContain(field(before, "master_replid"));
		publish(a, "e3", "e4");
		assertThat(generationOf(last())).isEqualTo(generationOf(this.publishedIds.get(0)));
		onA.verifyUpTo(last(), 0);
	}

	private static String field(String info, String name) {
		return info.lines().filter((line) -> line.startsWith(name + ":")).findFirst().orElseThrow();
	}

	@Test
	void aFailBackToAPrimaryThatResyncedFromALaggingReplicaStartsANewGeneration() throws Exception {
		// The primary's process (run_id) never changes here: only its data does.
		LocalRedis.Server replica = new LocalRedis.Server().start();
		this.resources.add(replica);
		TcpProxy replication = new TcpProxy(this.redis.port());
		this.resources.add(replication);
		replica.cli("REPLICAOF", "127.0.0.1", Integer.toString(replication.port()));
		await().atMost(Duration.ofSeconds(10)).until(() -> replica.info("replication").contains("master_link_status:up"));
		Node a = node();
		Node b = node();
		Client onA = a.subscribe();
		Client onB = b.subscribe();
		publish(a, "e1", "e2", "e3");
		String generation = "{" + a.prefix + "}:generation";
		await().atMost(Duration.ofSeconds(10)).until(() -> replica.cli("HGET", generation, "n").equals("3"));
		replication.stall(); // the replica lags from here on
		publish(a, "m1", "m2");
		publish(b, "m3", "m4");
		receiveUpToLast(onA, onB);

		replica.promote();
		this.redis.cli("REPLICAOF", "127.0.0.1", Integer.toString(replica.port())); // resyncs: m1..m4 are gone
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.redis.info("replication").contains("master_link_status:up"));
		this.redis.promote();

		publishOnceRedisAnswers(a, "a1");
		publishOnceRedisAnswers(b, "a2"); // each node's connection comes back on its own
		publish(b, "a3");
		publish(a, "a4", "a5");
		verifyEveryIdOneEventAndEachClientUpToLast(1, onA, onB);
	}

	@Test
	void keysRolledBackInsideTheSameRedisProcessStartANewGenerationInsteadOfReusingIds() throws Exception {
		// A restore from a backup (DUMP, RESTORE): the process (run_id) and its replication id stay.
		Node a = node();
		Node b = node();
		Client onA = a.subscribe();
		Client onB = b.subscribe();
		publish(a, "b1", "b2", "b3");
		receiveUpToLast(onA, onB);
		Map<String, byte[]> backup = dump(a);
		publish(a, "m1", "m2");
		publish(b, "m3", "m4");
		receiveUpToLast(onA, onB);

		restore(backup); // b1..b3 are back, the counter with them; m1..m4 are gone

		publish(b, "a1", "a2", "a3");
		publish(a, "a4", "a5", "a6");
		verifyEveryIdOneEventAndEachClientUpToLast(1, onA, onB);
	}

	@Test
	void theSameBackupRestoredTwiceDoesNotBringBackTheGenerationThatEnded() throws Exception {
		Node a = node();
		Node b = node();
		Client onA = a.subscribe();
		Client onB = b.subscribe();
		publish(a, "b1", "b2");
		Map<String, byte[]> backup = dump(a);
		publish(a, "m1", "m2");
		publish(b, "m3");
		receiveUpToLast(onA, onB);
		restore(backup); // the first time: a new generation starts
		publish(b, "x1");
		publish(a, "x2");
		receiveUpToLast(onA, onB);

		restore(backup); // the generation that ended is back, with its counter before m1
		publish(a, "y1");
		publish(b, "y2");
		publish(a, "y3", "y4");
		verifyEveryIdOneEventAndEachClientUpToLast(2, onA, onB);
	}

	@Test
	void aRollbackThatNoPublishingNodeSawIsAResetOnTheNodesThatDid() throws Exception {
		Node a = node();
		Node b = node();
		Client onA = a.subscribe();
		Client onB = b.subscribe();
		publish(a, "b1", "b2");
		receiveUpToLast(onA, onB);
		Map<String, byte[]> backup = dump(a);
		publish(a, "m1", "m2", "m3");
		receiveUpToLast(onA, onB);
		a.proxy.stall(); // neither a nor b sees the rollback while it happens (no idle look at the counter)
		b.proxy.stall();
		restore(backup);

		// A node that knows nothing of m1..m3 publishes: their sequences are issued again (nothing
		// could tell), and the stream then goes on past where a and b were. They must not deliver
		// that as if it continued m3: they end the generation, and every client is told.
		Node c = node();
		Client onC = c.subscribe();
		publish(c, "c1", "c2", "c3", "c4", "c5", "c6");
		a.proxy.restore();
		b.proxy.restore();
		String rolledBack = generationOf(last());
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			publishOnceRedisAnswers(c, "n" + this.publishedIds.size());
			return !last().startsWith(rolledBack);
		});
		publish(c, "after");
		onA.verifyUpTo(last(), 1);
		onB.verifyUpTo(last(), 1);
		onC.verifyUpTo(last(), 1);
	}

	@Test
	void aRedisThatRefusesWritesFailsEachPublishClearlyAndSaysSoOnce(CapturedOutput output) throws Exception {
		Node a = node();
		Client onA = a.subscribe();
		publish(a, "x1");
		this.redis.cli("CONFIG", "SET", "maxmemory", "1"); // every write is refused: OOM
		for (int i = 0; i < 5; i++) {
			assertThatExceptionOfType(SseBackplaneException.class)
				.isThrownBy(() -> a.sse().publish(TOPIC, SseEvent.ofData("refused")))
				.withMessageContaining("Redis refused the command")
				.withMessageContaining("OOM");
			Thread.sleep(300); // let the reader poll in between, as it does in production
		}
		assertThat(a.engine().backplane().isAvailable()).as("Redis answers: delivery goes on").isTrue();
		this.redis.cli("CONFIG", "SET", "maxmemory", "0");
		publish(a, "x2");
		this.redis.cli("CONFIG", "SET", "maxmemory", "1"); // refused again: small writes pass, large ones not
		assertThatExceptionOfType(SseBackplaneException.class)
			.isThrownBy(() -> a.sse().publish(TOPIC, SseEvent.ofData("refused")));
		this.redis.cli("CONFIG", "SET", "maxmemory", "0");
		publish(a, "x3");
		onA.verifyUpTo(last(), 0);
		assertThat(output.getOut().split("refuses to store SSE events", -1)).as("one warning a minute").hasSize(2);
		assertThat(output.getOut()).doesNotContain("reachable again");
	}

	@Test
	void aFlushWhileANodeLagsIsAResetOnThatNodeNotASilentGap() throws Exception {
		Node a = node();
		Node b = node();
		Client onA = a.subscribe();
		Client onB = b.subscribe();
		publish(a, "x0");
		onB.receiveUpTo(last());
		b.proxy.stall();
		publish(a, "x1", "x2", "x3");
		onA.receiveUpTo(last());
		this.redis.flushAll();
		b.proxy.restore();
		publish(a, "y1", "y2", "y3");

		onB.verifyUpTo(last(), 1); // it missed x1..x3: told so exactly once
		onA.verifyUpTo(last(), null); // it missed nothing: a reset is allowed, not required
	}

	@Test
	void deletedKeysStartANewGeneration() throws Exception {
		Node a = node();
		Client onA = a.subscribe();
		publish(a, "x1", "x2");
		this.redis.cli("DEL", "{" + a.prefix + "}:events");
		publish(a, "y1", "y2");
		assertThat(this.publishedIds.get(2)).doesNotStartWith(generationOf(this.publishedIds.get(0)));
		onA.verifyUpTo(last(), 1);
	}

	@Test
	void aForeignEntryInTheStreamNeitherBlocksPublishingNorDelivery() throws Exception {
		Node a = node();
		Node b = node();
		Client onB = b.subscribe();
		publish(a, "x1", "x2");
		this.redis.cli("XADD", "{" + a.prefix + "}:events", "*", "foreign", "entry");
		publish(a, "y1", "y2");
		publish(b, "y3");
		onB.verifyUpTo(last(), 1);
	}

	@Test
	void aClientResumingOnANodeBehindTheOneItCameFromGetsNoDuplicate() throws Exception {
		Node a = node();
		Node b = node();
		Client onA = a.subscribe();
		b.proxy.stall();
		publish(a, "e1", "e2", "e3");
		List<SseReceivedEvent> first = onA.receiveUpTo(last());
		String resumeAfter = last();

		// The client moves to B, which has not read e1..e3 yet; B catches up while it waits.
		CompletableFuture<Client> moved = CompletableFuture.supplyAsync(() -> b.subscribe(resumeAfter));
		Thread.sleep(300); // the open request is now waiting for B; the fault is B's network
		b.proxy.restore();
		Client onB = moved.get(10, TimeUnit.SECONDS);
		publish(a, "e4", "e5");
		List<SseReceivedEvent> afterMove = onB.receiveUpTo(last());

		List<SseReceivedEvent> all = new ArrayList<>(first);
		all.addAll(afterMove);
		this.check.verifyComplete("moved client", TOPICS, null, DeliveryCheck.fromClient(all));
		assertThat(afterMove).filteredOn((event) -> !event.name().startsWith("sse.")).extracting(SseReceivedEvent::data)
			.containsExactly("e4", "e5");
	}

	@Test
	void aClientResumingOnANodeThatStaysBehindIsToldToReconnectNotGivenDuplicates() throws Exception {
		Node a = node();
		Node b = node();
		Client onA = a.subscribe();
		b.proxy.stall();
		publish(a, "e1", "e2");
		onA.receiveUpTo(last());

		try (SseTestClient resumed = SseTestClient.connect(b.url(), Map.of("Last-Event-ID", last()))) {
			assertThat(resumed.awaitEnd(Duration.ofSeconds(20))).isNull();
			assertThat(resumed.poll(Duration.ZERO)).as("no event: the client keeps its id and comes back").isNull();
		}
		assertThat(b.engine().counters().closed(CloseReason.BEHIND)).isEqualTo(1);
		b.proxy.restore();
	}

	@Test
	void aMadeUpIdOfTheCurrentGenerationIsAResetAtOnceNotARetryLoop() throws Exception {
		Node a = node();
		publish(a, "e1");
		String madeUp = generationOf(last()) + "999";
		long start = System.nanoTime();
		try (SseTestClient client = SseTestClient.connect(a.url(), Map.of("Last-Event-ID", madeUp))) {
			assertThat(client.awaitEvent().name()).isEqualTo("sse.connected");
			SseReceivedEvent reset = client.awaitEvent();
			assertThat(reset.name()).isEqualTo("sse.reset");
			assertThat(reset.data()).contains("\"reason\":\"unknown\"").contains(madeUp);
		}
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no wait for a node to catch up")
			.isLessThan(Duration.ofSeconds(2));
		assertThat(a.engine().counters().closed(CloseReason.BEHIND)).isZero();
	}

	@Test
	void aNodeStartedWhileRedisIsUnreachableStartsWhereRedisStands() throws Exception {
		Node a = node();
		publish(a, "h1", "h2", "h3");
		TcpProxy unreachable = new TcpProxy(this.redis.port());
		unreachable.refuse();
		Node c = node(unreachable);
		Client onC = c.subscribe();
		unreachable.restore();
		await().atMost(Duration.ofSeconds(20)).until(() -> c.engine().backplane().isAvailable()
				&& c.engine().counters().resetsTotal() > 0);
		publish(a, "z1", "z2");
		List<SseReceivedEvent> received = onC.verifyUpTo(last(), 1, this.check.order(this.publishedIds.get(2)));
		assertThat(received).extracting(SseReceivedEvent::data).doesNotContain("h1", "h2", "h3");
	}

	@Test
	void heartbeatsGoOnWhileRedisStalls() throws Exception {
		Node a = node();
		HttpResponse<InputStream> response = RawSseStream.open(a.url());
		BufferedReader lines = RawSseStream.lines(response);
		AtomicInteger heartbeats = new AtomicInteger();
		Thread reader = new Thread(() -> {
			try {
				String line;
				while ((line = lines.readLine()) != null) {
					if (line.equals(": heartbeat")) {
						heartbeats.incrementAndGet();
					}
				}
			}
			catch (Exception ex) {
				// the test closed the stream
			}
		});
		reader.setDaemon(true);
		reader.start();
		publish(a, "before");
		this.redis.pause();
		int before = heartbeats.get();
		Thread.sleep(6000); // the stall
		int during = heartbeats.get() - before;
		this.redis.resume();
		response.body().close();
		assertThat(during).as("heartbeats every 500 ms during a 6 s stall").isGreaterThanOrEqualTo(8);
	}

	// ---- nodes, clients and publishing ------------------------------------------------

	private Node node() throws Exception {
		return node(new TcpProxy(this.redis.port()));
	}

	private Node node(TcpProxy proxy) {
		this.resources.add(proxy);
		String prefix = "faults";
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SseTestApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "sse.backplane.type=redis",
					"sse.backplane.redis.key-prefix=" + prefix, "spring.data.redis.host=127.0.0.1",
					"spring.data.redis.port=" + proxy.port(), "spring.data.redis.timeout=5s",
					"sse.backplane.redis.poll-timeout=200ms", "sse.heartbeat.interval=500ms")
			.run();
		this.resources.add(context);
		return new Node(context, proxy, prefix);
	}

	private void publish(Node node, String... data) {
		for (String item : data) {
			String id = node.sse().publish(TOPIC, SseEvent.ofData(item));
			this.check.published(id, TOPICS);
			this.publishedIds.add(id);
		}
	}

	/**
	 * Publish, retrying while the node's Redis connection is still coming back after a fault
	 * (Lettuce does not send a command that timed out while the connection was down).
	 */
	private void publishOnceRedisAnswers(Node node, String data) {
		String id = await().atMost(Duration.ofSeconds(20))
			.ignoreException(SseBackplaneException.class)
			.until(() -> node.sse().publish(TOPIC, SseEvent.ofData(data)), (published) -> published != null);
		this.check.published(id, TOPICS);
		this.publishedIds.add(id);
	}

	/** A backup of the node's keys, as {@code DUMP} takes it. */
	private Map<String, byte[]> dump(Node node) {
		Map<String, byte[]> backup = new LinkedHashMap<>();
		withRedis((connection) -> {
			for (String key : List.of("{" + node.prefix + "}:events", "{" + node.prefix + "}:generation")) {
				backup.put(key, connection.keyCommands().dump(key.getBytes(StandardCharsets.UTF_8)));
			}
		});
		return backup;
	}

	/** Put the keys back as they were ({@code RESTORE ... REPLACE}), in one transaction. */
	private void restore(Map<String, byte[]> backup) {
		withRedis((connection) -> {
			connection.multi();
			backup.forEach((key, value) -> connection.keyCommands()
				.restore(key.getBytes(StandardCharsets.UTF_8), 0, value, true));
			connection.exec();
		});
	}

	private void withRedis(Consumer<RedisConnection> commands) {
		LettuceConnectionFactory factory = LocalRedis.connectionFactory(this.redis.port());
		try (RedisConnection connection = factory.getConnection()) {
			commands.accept(connection);
		}
		finally {
			factory.destroy();
		}
	}

	/** Each client receives up to the last event published. */
	private void receiveUpToLast(Client... clients) throws InterruptedException {
		for (Client client : clients) {
			client.receiveUpTo(last());
		}
	}

	/**
	 * No id was issued for two events, and each client received exactly what was published,
	 * up to the last event, with the given number of resets.
	 */
	private void verifyEveryIdOneEventAndEachClientUpToLast(int resets, Client... clients)
			throws InterruptedException {
		assertThat(this.publishedIds).as("every id means one event").doesNotHaveDuplicates();
		for (Client client : clients) {
			client.verifyUpTo(last(), resets);
		}
	}

	private String last() {
		return this.publishedIds.get(this.publishedIds.size() - 1);
	}

	private static String generationOf(String id) {
		return id.substring(0, id.lastIndexOf('-') + 1);
	}

	private final class Node {

		final ConfigurableApplicationContext context;

		final TcpProxy proxy;

		final String prefix;

		Node(ConfigurableApplicationContext context, TcpProxy proxy, String prefix) {
			this.context = context;
			this.proxy = proxy;
			this.prefix = prefix;
		}

		SseService sse() {
			return this.context.getBean(SseService.class);
		}

		SseEngine engine() {
			return this.context.getBean(SseEngine.class);
		}

		String url() {
			return "http://localhost:" + ((WebServerApplicationContext) this.context).getWebServer().getPort()
					+ "/api/v1/sse?topics=" + TOPIC;
		}

		Client subscribe() {
			return subscribe(null);
		}

		Client subscribe(String lastEventId) {
			SseTestClient client = (lastEventId != null)
					? SseTestClient.connect(url(), Map.of("Last-Event-ID", lastEventId))
					: SseTestClient.connect(url());
			RedisFaultsIntegrationTest.this.resources.add(client);
			try {
				client.awaitResponse();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
			return new Client(client);
		}

	}

	/** A client and everything it received so far. */
	private final class Client {

		private final SseTestClient client;

		private final List<SseReceivedEvent> received = new ArrayList<>();

		Client(SseTestClient client) {
			this.client = client;
		}

		/** Receive until the event with the given id (or 10 s without an event); returns what arrived meanwhile. */
		List<SseReceivedEvent> receiveUpTo(String id) throws InterruptedException {
			int from = this.received.size();
			SseReceivedEvent event;
			do {
				event = this.client.awaitEvent();
				this.received.add(event);
			}
			while (!id.equals(event.id()) || event.name().startsWith("sse."));
			return List.copyOf(this.received.subList(from, this.received.size()));
		}

		/**
		 * Receive up to the id, then check everything received against what was published,
		 * with exactly the given number of resets.
		 */
		List<SseReceivedEvent> verifyUpTo(String id, Integer resets) throws InterruptedException {
			return verifyUpTo(id, resets, null);
		}

		/**
		 * The same for a client that joined at {@code start} (an order of {@link DeliveryCheck});
		 * {@code resets} {@code null} allows at most one.
		 */
		List<SseReceivedEvent> verifyUpTo(String id, Integer resets, Long start) throws InterruptedException {
			receiveUpTo(id);
			DeliveryCheck.Outcome outcome = RedisFaultsIntegrationTest.this.check.verifyComplete("client", TOPICS,
					start, DeliveryCheck.fromClient(this.received));
			if (resets == null) {
				assertThat(outcome.totalResets()).isLessThanOrEqualTo(1);
			}
			else if (resets == 0) {
				assertThat(outcome.resets()).as("resets").isEmpty();
			}
			else {
				assertThat(outcome.resets()).as("resets").containsOnlyKeys("unknown");
				assertThat(outcome.totalResets()).isEqualTo(resets);
			}
			return List.copyOf(this.received);
		}

	}

}
