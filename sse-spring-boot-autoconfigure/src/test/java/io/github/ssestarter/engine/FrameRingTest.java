package io.github.ssestarter.engine;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.github.ssestarter.encode.SseFrame;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chain of arrays behind a stream's queue: everything offered is taken once, in each
 * producer's order, across chunk boundaries, while producers and the consumer race.
 */
class FrameRingTest {

	@Test
	void framesComeOutInOrderAcrossChunksOfEverySize() {
		FrameRing ring = new FrameRing();
		assertThat(ring.isEmpty()).isTrue();
		assertThat(ring.poll()).isNull();
		int taken = 0;
		int offered = 0;
		// Grow the queue to beyond the largest chunk, then drain it, several times.
		for (int round = 0; round < 5; round++) {
			int backlog = (round + 1) * 400;
			for (int i = 0; i < backlog; i++) {
				ring.offer(frame(offered++), offered - taken);
			}
			assertThat(ring.isEmpty()).isFalse();
			SseFrame frame;
			while ((frame = ring.poll()) != null) {
				assertThat(frame.id()).isEqualTo(Integer.toString(taken++));
			}
			assertThat(ring.isEmpty()).isTrue();
		}
		assertThat(taken).isEqualTo(offered);
	}

	/**
	 * A chunk the consumer has left keeps no reference at all, not even to the next chunk.
	 * A chunk may be promoted to the old generation while it is the head (a young collection
	 * during a write); once garbage there, a link to its successor would keep that chunk
	 * alive through every young collection until the next old-generation cycle, and it the
	 * one after: each stream's whole chain promoted. Measured before the fix, at 1,000
	 * events/s to 1,000 streams: a third to a half of each young collection survived and
	 * young pauses took 50-100 ms; after it, 5-10 ms with the old generation flat.
	 */
	@Test
	void aChunkTheConsumerHasLeftReferencesNothing() throws Exception {
		FrameRing ring = new FrameRing();
		Field head = FrameRing.class.getDeclaredField("head");
		head.setAccessible(true);
		Object[] first = (Object[]) head.get(ring);
		int frames = 3 * FrameRing.MIN_CHUNK;
		for (int i = 0; i < frames; i++) {
			ring.offer(frame(i), 0);
		}
		for (int i = 0; i < frames; i++) {
			assertThat(ring.poll()).isNotNull();
		}
		assertThat(head.get(ring)).isNotSameAs(first);
		assertThat(first).containsOnlyNulls();
	}

	@Test
	void concurrentProducersAndAConsumerLoseAndRepeatNothing() throws Exception {
		FrameRing ring = new FrameRing();
		int producers = 3;
		int perProducer = 200_000;
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> threads = new ArrayList<>();
		for (int p = 0; p < producers; p++) {
			int producer = p;
			Thread thread = new Thread(() -> {
				awaitQuietly(start);
				for (int i = 0; i < perProducer; i++) {
					ring.offer(frame(producer * perProducer + i), i % 700);
				}
			});
			thread.start();
			threads.add(thread);
		}
		AtomicBoolean producing = new AtomicBoolean(true);
		Map<Integer, Integer> nextOfProducer = new HashMap<>();
		int[] taken = { 0 };
		Thread consumer = new Thread(() -> {
			awaitQuietly(start);
			while (producing.get() || !ring.isEmpty()) {
				SseFrame frame = ring.poll();
				if (frame == null) {
					Thread.onSpinWait();
					continue;
				}
				int value = Integer.parseInt(frame.id());
				int producer = value / perProducer;
				int expected = nextOfProducer.getOrDefault(producer, 0);
				if (value % perProducer != expected) {
					throw new AssertionError("producer " + producer + ": expected " + expected + ", got "
							+ (value % perProducer));
				}
				nextOfProducer.put(producer, expected + 1);
				taken[0]++;
			}
		});
		List<Throwable> failures = new ArrayList<>();
		consumer.setUncaughtExceptionHandler((thread, ex) -> failures.add(ex));
		consumer.start();
		start.countDown();
		for (Thread thread : threads) {
			thread.join(60_000);
		}
		producing.set(false);
		consumer.join(60_000);
		assertThat(failures).isEmpty();
		assertThat(consumer.isAlive()).isFalse();
		assertThat(taken[0]).isEqualTo(producers * perProducer);
		for (int p = 0; p < producers; p++) {
			assertThat(nextOfProducer.get(p)).isEqualTo(perProducer);
		}
	}

	@Test
	void isEmptyIsSafeFromAnotherThreadWhileTheConsumerTakes() throws Exception {
		// A drainer that has just gone idle asks isEmpty() while the next drainer may already
		// be taking frames: from a long chunk to a short one is where a torn read of the
		// consumer's position once threw ArrayIndexOutOfBoundsException.
		java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
		long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(3);
		while (failure.get() == null && System.nanoTime() < deadline) {
			FrameRing ring = new FrameRing();
			AtomicBoolean stop = new AtomicBoolean();
			Thread checker = new Thread(() -> {
				try {
					while (!stop.get()) {
						ring.isEmpty();
					}
				}
				catch (Throwable ex) {
					failure.compareAndSet(null, ex);
				}
			});
			checker.start();
			int id = 0;
			for (int round = 0; round < 2_000 && failure.get() == null; round++) {
				int backlog = 9 + (round % 600);
				for (int i = 0; i < backlog; i++) {
					ring.offer(frame(id++), (round % 2 == 0) ? 600 : i);
				}
				while (ring.poll() != null) {
					// take everything
				}
				assertThat(ring.isEmpty()).isTrue();
			}
			stop.set(true);
			checker.join();
		}
		assertThat(failure.get()).isNull();
	}

	private static SseFrame frame(int id) {
		return SseFrame.event(new byte[] { 1 }, Integer.toString(id), 0);
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
