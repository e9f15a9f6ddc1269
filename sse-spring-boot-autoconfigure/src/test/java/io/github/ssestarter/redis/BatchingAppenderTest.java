package io.github.ssestarter.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.github.ssestarter.encode.EncodedEvent;
import io.github.ssestarter.store.OutgoingEvent;
import io.github.ssestarter.store.StoredEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Group commit with several batches in flight, against a writer that behaves like the append script. */
class BatchingAppenderTest {

	/** Assigns dense sequences per call, like the script, and records how many calls overlap. */
	private static final class Writer {

		final AtomicLong sequence = new AtomicLong();

		final AtomicInteger running = new AtomicInteger();

		final AtomicInteger mostRunning = new AtomicInteger();

		final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());

		volatile CountDownLatch release = new CountDownLatch(0);

		/** When set, a call running alone waits (up to 10 s) until a second one runs beside it. */
		volatile CountDownLatch overlapped;

		List<StoredEvent> write(List<OutgoingEvent> events) {
			int now = this.running.incrementAndGet();
			this.mostRunning.accumulateAndGet(now, Math::max);
			try {
				CountDownLatch overlap = this.overlapped;
				if (overlap != null) {
					if (now >= 2) {
						overlap.countDown();
					}
					else {
						overlap.await(10, TimeUnit.SECONDS); // a slow round trip: the pipeline must fill
					}
				}
				this.release.await(10, TimeUnit.SECONDS); // a round trip held open by the test
				this.batchSizes.add(events.size());
				List<StoredEvent> stored = new ArrayList<>();
				long first;
				synchronized (this) {
					first = this.sequence.getAndAdd(events.size()) + 1;
				}
				for (int i = 0; i < events.size(); i++) {
					OutgoingEvent event = events.get(i);
					stored.add(new StoredEvent("g-" + (first + i), event.topics(), false,
							event.encoded().withId("g-" + (first + i)), 0));
				}
				return stored;
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
			finally {
				this.running.decrementAndGet();
			}
		}

	}

	private static OutgoingEvent event(String data) {
		return new OutgoingEvent(Set.of("t"), false,
				new EncodedEvent(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8)));
	}

	@Test
	void aLonePublisherWritesAtOnceInABatchOfItsOwn() {
		Writer writer = new Writer();
		BatchingAppender appender = new BatchingAppender(writer::write, 256, 1 << 20, 4);
		assertThat(appender.append(event("a")).id()).isEqualTo("g-1");
		assertThat(appender.append(event("b")).id()).isEqualTo("g-2");
		assertThat(writer.batchSizes).containsExactly(1, 1);
	}

	@Test
	void concurrentPublishersGetDistinctDenseIdsWithNoMoreBatchesInFlightThanAllowed() throws Exception {
		Writer writer = new Writer();
		writer.overlapped = new CountDownLatch(1);
		BatchingAppender appender = new BatchingAppender(writer::write, 5, 1 << 20, 3);
		int threads = 16;
		int perThread = 500;
		Set<String> ids = ConcurrentHashMap.newKeySet();
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				done.add(pool.submit(() -> {
					long previous = 0;
					for (int i = 0; i < perThread; i++) {
						String id = appender.append(event(thread + ":" + i)).id();
						long sequence = Long.parseLong(id.substring(2));
						assertThat(sequence).as("one thread's publishes are in order").isGreaterThan(previous);
						previous = sequence;
						assertThat(ids.add(id)).as("id %s given once", id).isTrue();
					}
				}));
			}
			for (Future<?> future : done) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(ids).hasSize(threads * perThread);
		assertThat(writer.sequence.get()).isEqualTo(threads * perThread);
		assertThat(writer.mostRunning.get()).isBetween(2, 3);
		assertThat(writer.batchSizes).allSatisfy((size) -> assertThat(size).isBetween(1, 5));
	}

	@Test
	void publishersWaitingWhileThePipelineIsFullShareTheNextBatch() throws Exception {
		Writer writer = new Writer();
		writer.release = new CountDownLatch(1);
		BatchingAppender appender = new BatchingAppender(writer::write, 256, 1 << 20, 1);
		ExecutorService pool = Executors.newFixedThreadPool(6);
		try {
			Future<StoredEvent> first = pool.submit(() -> appender.append(event("first")));
			while (writer.running.get() == 0) {
				Thread.onSpinWait();
			}
			List<Future<StoredEvent>> others = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				int n = i;
				others.add(pool.submit(() -> appender.append(event("other" + n))));
			}
			awaitQueued(appender, others.size());
			writer.release.countDown();
			assertThat(first.get(10, TimeUnit.SECONDS).id()).isEqualTo("g-1");
			for (Future<StoredEvent> other : others) {
				assertThat(other.get(10, TimeUnit.SECONDS).id()).matches("g-[2-6]");
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(writer.batchSizes).containsExactly(1, 5);
	}

	/** Until every submitted publisher's event is queued behind the batch in flight. */
	private static void awaitQueued(BatchingAppender appender, int events) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (appender.queued() < events) {
			assertThat(System.nanoTime()).as("publishers queued in time").isLessThan(deadline);
			Thread.sleep(1);
		}
	}

	@Test
	void aFailedBatchFailsItsOwnEventsOnly() {
		AtomicInteger calls = new AtomicInteger();
		BatchingAppender appender = new BatchingAppender((events) -> {
			if (calls.incrementAndGet() == 1) {
				throw new IllegalStateException("Redis is unavailable");
			}
			return List.of(new StoredEvent("g-1", Set.of("t"), false, events.get(0).encoded().withId("g-1"), 0));
		}, 256, 1 << 20, 4);
		assertThatIllegalStateException().isThrownBy(() -> appender.append(event("lost")))
			.withMessage("Redis is unavailable");
		assertThat(appender.append(event("kept")).id()).isEqualTo("g-1");
	}

	@Test
	void anInterruptedPublisherStillGetsItsEventStoredAndKeepsItsInterrupt() throws Exception {
		Writer writer = new Writer();
		writer.release = new CountDownLatch(1);
		BatchingAppender appender = new BatchingAppender(writer::write, 256, 1 << 20, 1);
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			Future<StoredEvent> first = pool.submit(() -> appender.append(event("first")));
			while (writer.running.get() == 0) {
				Thread.onSpinWait();
			}
			AtomicReference<Thread> waiting = new AtomicReference<>();
			Future<Boolean> interrupted = pool.submit(() -> {
				waiting.set(Thread.currentThread());
				StoredEvent stored = appender.append(event("interrupted"));
				assertThat(stored.id()).isEqualTo("g-2");
				return Thread.currentThread().isInterrupted();
			});
			awaitQueued(appender, 1);
			for (int i = 0; i < 100; i++) { // every wake-up of its wait is an interrupt, none a result
				waiting.get().interrupt();
				Thread.sleep(1);
			}
			writer.release.countDown();
			assertThat(first.get(10, TimeUnit.SECONDS).id()).isEqualTo("g-1");
			assertThat(interrupted.get(10, TimeUnit.SECONDS)).as("the interrupt is kept for the caller").isTrue();
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(writer.batchSizes).containsExactly(1, 1);
	}

}
