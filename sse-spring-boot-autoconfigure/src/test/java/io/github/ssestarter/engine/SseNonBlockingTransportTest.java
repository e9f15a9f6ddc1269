package io.github.ssestarter.engine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.support.SseWire;
import io.github.ssestarter.support.TestEngines;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine against a transport that behaves like a servlet container in non-blocking
 * mode, hostile timing included: after a write it is often not ready, keeps the bytes
 * unflushed until the drainer asks again, and calls back from its own threads after a
 * random delay. Nothing may be written while it is not ready, and no call-back may be
 * lost, not even one that arrives while the drainer is finishing with an empty queue
 * (then only a new drain flushes the last bytes).
 */
class SseNonBlockingTransportTest {

	private final ExecutorService container = Executors.newFixedThreadPool(4);

	private SseEngine engine;

	@AfterEach
	void stop() throws InterruptedException {
		this.container.shutdownNow();
		this.container.awaitTermination(5, TimeUnit.SECONDS);
		if (this.engine != null) {
			this.engine.close();
		}
	}

	@Test
	void everyEventLeavesInOrderAndNothingIsWrittenWhileNotReady() {
		TestEngines engines = new TestEngines();
		engines.maxQueuedEvents = 100_000;
		engines.maxQueuedBytes = 64 << 20;
		this.engine = engines.build();
		ContainerLikeTransport transport = new ContainerLikeTransport(this.container);
		this.engine.open(TestEngines.topics("t"), transport);
		// Small bursts, each waited for: the last write of a burst is the one a lost call-back would strand.
		int events = 0;
		for (int round = 0; round < 3_000; round++) {
			int burst = 1 + ThreadLocalRandom.current().nextInt(3);
			for (int i = 0; i < burst; i++) {
				this.engine.publish("t", SseEvent.ofData(Integer.toString(events++)));
			}
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
			String last = Integer.toString(events - 1);
			while (!last.equals(transport.lastFlushedData())) {
				assertThat(System.nanoTime() - deadline).as("round %d: bytes stranded in the transport", round)
					.isNegative();
				Thread.onSpinWait();
			}
		}
		List<String> data = transport.flushedData();
		assertThat(data).hasSize(events);
		for (int n = 0; n < events; n++) {
			assertThat(data.get(n)).isEqualTo(Integer.toString(n));
		}
		assertThat(transport.violations.get()).as("writes while not ready").isZero();
		assertThat(transport.callbacks.get()).as("the transport was often not ready").isGreaterThan(100);
	}

	/**
	 * Ready or not like a container: a write may leave it not ready with the bytes staged;
	 * a container thread then sets it ready and calls back. Staged bytes reach the client
	 * only when the drainer next asks {@link #isReady()}.
	 */
	private static final class ContainerLikeTransport implements SseTransport {

		private final ExecutorService container;

		private volatile @Nullable SseConnection connection;

		private volatile boolean ready = true;

		private final ByteArrayOutputStream staged = new ByteArrayOutputStream();

		private final ByteArrayOutputStream flushed = new ByteArrayOutputStream();

		final AtomicInteger violations = new AtomicInteger();

		final AtomicInteger callbacks = new AtomicInteger();

		private volatile @Nullable String lastFlushedData;

		ContainerLikeTransport(ExecutorService container) {
			this.container = container;
		}

		@Override
		public void attach(SseConnection connection) {
			this.connection = connection;
		}

		@Override
		public boolean isReady() {
			if (!this.ready) {
				return false;
			}
			flush();
			return true;
		}

		@Override
		public void write(byte[] bytes) {
			if (!this.ready) {
				this.violations.incrementAndGet();
			}
			synchronized (this) {
				this.staged.writeBytes(bytes);
			}
			if (ThreadLocalRandom.current().nextInt(3) == 0) {
				this.ready = false;
				this.container.execute(() -> {
					if (ThreadLocalRandom.current().nextBoolean()) {
						LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(20_000));
					}
					this.callbacks.incrementAndGet();
					this.ready = true;
					this.connection.writePossible();
				});
			}
			else {
				flush();
			}
		}

		private synchronized void flush() {
			if (this.staged.size() == 0) {
				return;
			}
			List<SseWire.Block> blocks = SseWire.parse(this.staged.toString(StandardCharsets.UTF_8)); // whole frames
			this.lastFlushedData = blocks.get(blocks.size() - 1).data();
			this.flushed.writeBytes(this.staged.toByteArray());
			this.staged.reset();
		}

		@Override
		public void complete() {
		}

		synchronized List<String> flushedData() {
			return SseWire.parse(this.flushed.toString(StandardCharsets.UTF_8))
				.stream()
				.filter((block) -> block.isEvent() && block.event() == null) // not the sse.connected notice
				.map(SseWire.Block::data)
				.toList();
		}

		@Nullable String lastFlushedData() {
			return this.lastFlushedData;
		}

	}

}
