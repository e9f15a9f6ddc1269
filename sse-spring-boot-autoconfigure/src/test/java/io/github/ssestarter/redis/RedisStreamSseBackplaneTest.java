package io.github.ssestarter.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.github.ssestarter.backplane.SseBackplane;
import io.github.ssestarter.encode.EncodedEvent;
import io.github.ssestarter.store.HistoryPage;
import io.github.ssestarter.store.OutgoingEvent;
import io.github.ssestarter.store.StoredEvent;
import io.github.ssestarter.support.LocalRedis;
import io.github.ssestarter.support.TcpProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The backplane's reader against a redis-server of its own, reached through a proxy the test can stall. */
class RedisStreamSseBackplaneTest {

	private final RedisStreamKeys keys = RedisStreamKeys.of("backplane-test");

	private LocalRedis.Server redis;

	private TcpProxy proxy;

	private LettuceConnectionFactory direct;

	private LettuceConnectionFactory proxied;

	/** Publishes straight to Redis, never through the proxy. */
	private RedisStreamSseEventStore publisher;

	private final Recording delivery = new Recording();

	private RedisStreamSseBackplane backplane;

	@BeforeEach
	void start() throws Exception {
		LocalRedis.requireServers();
		this.redis = new LocalRedis.Server().start();
		this.proxy = new TcpProxy(this.redis.port());
		this.direct = LocalRedis.connectionFactory(this.redis.port());
		this.proxied = LocalRedis.connectionFactory(this.proxy.port());
		this.publisher = store(this.direct);
	}

	/** A backplane reading through the proxy, started at the stream's current position. */
	private RedisStreamSseBackplane startReading(int batchSize) {
		RedisStreamSseEventStore store = store(this.proxied);
		this.backplane = new RedisStreamSseBackplane(this.proxied, store, batchSize, 1 << 20, Duration.ofMillis(200));
		this.backplane.start(store.latestId(), this.delivery);
		return this.backplane;
	}

	@AfterEach
	void stop() throws Exception {
		if (this.backplane != null) {
			this.backplane.stop();
		}
		this.proxied.destroy();
		this.direct.destroy();
		this.proxy.close();
		this.redis.close();
	}

	@Test
	void afterAStopAndStartWhileTheOldReaderIsStuckInACallEveryEventIsDeliveredOnce() throws Exception {
		RedisStreamSseBackplane backplane = startReading(100);
		String first = publish(this.publisher, "first");
		await().until(() -> this.delivery.ids.contains(first));

		this.proxy.stall(); // the reader is now stuck in its blocking read
		Thread.sleep(300);
		backplane.stop();
		// as an engine that resumes does
		backplane.start(this.delivery.ids.get(this.delivery.ids.size() - 1), this.delivery);
		this.proxy.restore();
		List<String> published = new CopyOnWriteArrayList<>(List.of(first));
		for (int i = 0; i < 20; i++) {
			published.add(publish(this.publisher, "e" + i));
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> this.delivery.ids.size() >= published.size()
				&& readerThreads() == 1);
		String last = publish(this.publisher, "last");
		published.add(last);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.delivery.ids.contains(last));
		assertThat(this.delivery.ids).as("each event once, in order, by one reader").containsExactlyElementsOf(published);
	}

	@Test
	void anEntryThatIsNotAnEventIsSkippedAndCountedAndDeliveryGoesOn() throws Exception {
		RedisStreamSseBackplane backplane = startReading(100);
		String first = publish(this.publisher, "first");
		String stream = new String(this.keys.stream(), StandardCharsets.UTF_8);
		String sequence = first.substring(first.lastIndexOf('-') + 1);
		// another program's entry between two of ours
		assertThat(this.redis.cli("XADD", stream, sequence + "-1", "foreign", "entry")).isEqualTo(sequence + "-1");
		String second = publish(this.publisher, "second");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.delivery.ids.contains(second));
		assertThat(this.delivery.ids).containsExactly(first, second);
		assertThat(this.delivery.skips).isEmpty();
		assertThat(backplane.skippedEntries()).isEqualTo(1);
	}

	@Test
	void aStrayEntryOfAnotherGenerationIsSkippedOnceTheGenerationIsChecked() throws Exception {
		RedisStreamSseBackplane backplane = startReading(100);
		String first = publish(this.publisher, "first");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.delivery.ids.contains(first));
		String stream = new String(this.keys.stream(), StandardCharsets.UTF_8);
		long next = Long.parseLong(first.substring(first.lastIndexOf('-') + 1)) + 1;
		// shaped like one of the store's entries, but of a generation the stream is not in
		this.redis.cli("XADD", stream, next + "-0", "g", "elsewhere", "ts", "1", "t", "a", "b", "0", "d", "data: x\n\n");
		await().atMost(Duration.ofSeconds(10)).until(() -> backplane.skippedEntries() == 1);
		String second = publish(this.publisher, "second"); // the stray entry holds the next id: a new generation
		await().atMost(Duration.ofSeconds(10)).until(() -> this.delivery.ids.contains(second));
		assertThat(this.delivery.ids).containsExactly(first, second);
		assertThat(this.delivery.skips).singleElement().asString().endsWith("UNKNOWN");
		assertThat(backplane.skippedEntries()).isEqualTo(1);
	}

	@Test
	void aBacklogOfLargeEventsIsReadInBoundedPagesAndDeliveredWhole() throws Exception {
		// largest event 1 MB: at most 16 entries per read, whatever read-batch-size says
		RedisStreamSseBackplane backplane = startReading(500);
		assertThat(backplane.readCount()).isEqualTo(16);
		this.proxy.stall();
		byte[] large = new byte[512 * 1024];
		java.util.Arrays.fill(large, (byte) 'x');
		List<String> published = new java.util.ArrayList<>();
		for (int i = 0; i < 120; i++) {
			published.add(this.publisher.append(new OutgoingEvent(Set.of("big"), false,
					new EncodedEvent(("data: " + new String(large, StandardCharsets.US_ASCII) + "\n\n")
						.getBytes(StandardCharsets.US_ASCII)))).id());
		}
		this.proxy.restore();
		await().atMost(Duration.ofSeconds(60)).until(() -> this.delivery.ids.size() >= published.size());
		assertThat(this.delivery.ids).containsExactlyElementsOf(published);
		assertThat(this.delivery.skips).isEmpty();
		assertThat(backplane.isAvailable()).isTrue();
	}

	private RedisStreamSseEventStore store(LettuceConnectionFactory factory) {
		return new RedisStreamSseEventStore(factory, this.keys, 100_000, Duration.ofMinutes(5), Clock.systemUTC());
	}

	private static String publish(RedisStreamSseEventStore store, String data) {
		return store.append(new OutgoingEvent(Set.of("a"), false,
				new EncodedEvent(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8)))).id();
	}

	private static long readerThreads() {
		return Thread.getAllStackTraces().keySet().stream()
			.filter((thread) -> thread.getName().equals("sse-redis-reader") && thread.isAlive())
			.count();
	}

	private static final class Recording implements SseBackplane.Delivery {

		final List<String> ids = new CopyOnWriteArrayList<>();

		final List<String> skips = new CopyOnWriteArrayList<>();

		@Override
		public void deliver(StoredEvent event) {
			this.ids.add(event.id());
		}

		@Override
		public void skipTo(String position, HistoryPage.Reset reason) {
			this.skips.add(position + " " + reason);
		}

	}

}
