package io.github.ssestarter.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The writers' run queue: every task runs exactly once however producers race the writers
 * going idle, a blocked writer is replaced and the replacement retires, and shutdown runs
 * what was queued.
 */
class SseWriterExecutorTest {

	private final List<SseWriterExecutor> executors = new ArrayList<>();

	@AfterEach
	void shutdown() {
		this.executors.forEach((executor) -> executor.shutdown(Duration.ofSeconds(5)));
	}

	private SseWriterExecutor platform(int threads, int maxThreads) {
		SseWriterExecutor executor = SseWriterExecutor.platformThreads(threads, maxThreads);
		this.executors.add(executor);
		return executor;
	}

	@Test
	void everyTaskRunsExactlyOnceWhileProducersRaceTheWritersGoingIdle() throws Exception {
		SseWriterExecutor executor = platform(2, 4);
		int producers = 4;
		int bursts = 2_000;
		int perBurst = 5;
		AtomicIntegerArray runs = new AtomicIntegerArray(producers * bursts * perBurst);
		List<Thread> threads = new ArrayList<>();
		for (int p = 0; p < producers; p++) {
			int producer = p;
			threads.add(started(() -> {
				for (int burst = 0; burst < bursts; burst++) {
					CountDownLatch done = new CountDownLatch(perBurst);
					for (int i = 0; i < perBurst; i++) {
						int index = (producer * bursts + burst) * perBurst + i;
						executor.execute(() -> {
							runs.incrementAndGet(index);
							done.countDown();
						});
					}
					// Wait for the burst so that the writers go idle between bursts: a task
					// queued as a writer parks must still wake one.
					try {
						assertThat(done.await(10, TimeUnit.SECONDS)).as("burst %d of producer %d ran", burst, producer)
							.isTrue();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						return;
					}
				}
			}));
		}
		for (Thread thread : threads) {
			thread.join(60_000);
			assertThat(thread.isAlive()).isFalse();
		}
		for (int i = 0; i < runs.length(); i++) {
			assertThat(runs.get(i)).as("runs of task %d", i).isEqualTo(1);
		}
	}

	@Test
	void aBlockedWriterIsReplacedAndTheReplacementRetiresOnceTheWriteReturns() throws Exception {
		SseWriterExecutor executor = platform(1, 2);
		CountDownLatch blocking = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		executor.execute(() -> {
			blocking.countDown();
			awaitQuietly(release);
		});
		assertThat(blocking.await(5, TimeUnit.SECONDS)).isTrue();
		CountDownLatch other = new CountDownLatch(1);
		executor.execute(other::countDown);
		assertThat(other.await(200, TimeUnit.MILLISECONDS)).as("the only writer is blocked").isFalse();
		executor.writerBlocked();
		assertThat(executor.poolSize()).isEqualTo(2);
		assertThat(other.await(5, TimeUnit.SECONDS)).as("the replacement ran the waiting task").isTrue();
		release.countDown();
		executor.writerUnblocked();
		assertThat(executor.poolSize()).isEqualTo(1);
		await().atMost(Duration.ofSeconds(5)).until(() -> executor.liveWriters() == 1);
		CountDownLatch after = new CountDownLatch(1);
		executor.execute(after::countDown);
		assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void aTaskThatThrowsDoesNotStopItsWriter() throws Exception {
		SseWriterExecutor executor = platform(1, 1);
		executor.execute(() -> {
			throw new StackOverflowError("test");
		});
		CountDownLatch next = new CountDownLatch(1);
		executor.execute(next::countDown);
		assertThat(next.await(5, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void shutdownRunsWhatWasQueuedThenRejects() throws Exception {
		SseWriterExecutor executor = platform(1, 1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger ran = new AtomicInteger();
		executor.execute(() -> awaitQuietly(release));
		for (int i = 0; i < 100; i++) {
			executor.execute(ran::incrementAndGet);
		}
		started(() -> {
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			release.countDown();
		});
		executor.shutdown(Duration.ofSeconds(5));
		assertThat(ran.get()).isEqualTo(100);
		assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> executor.execute(() -> {
		}));
	}

	@Test
	void everyAcceptedTaskRunsWhenShutdownRacesExecute() throws Exception {
		// A producer that passed the shutdown check before the writers left must not leave its
		// task in a queue nobody takes from: it runs, or execute throws.
		for (int round = 0; round < 100; round++) {
			SseWriterExecutor executor = platform(2, 4);
			AtomicInteger accepted = new AtomicInteger();
			AtomicInteger ran = new AtomicInteger();
			CountDownLatch go = new CountDownLatch(1);
			List<Thread> producers = new ArrayList<>();
			for (int p = 0; p < 3; p++) {
				producers.add(started(() -> {
					awaitQuietly(go);
					for (;;) {
						try {
							executor.execute(ran::incrementAndGet);
							accepted.incrementAndGet();
						}
						catch (RejectedExecutionException ex) {
							return;
						}
					}
				}));
			}
			go.countDown();
			Thread.sleep(2);
			executor.shutdown(Duration.ofSeconds(5));
			for (Thread producer : producers) {
				producer.join(10_000);
			}
			await().atMost(Duration.ofSeconds(5)).untilAsserted(
					() -> assertThat(ran.get()).as("tasks run of those accepted, round %d", 0).isEqualTo(accepted.get()));
		}
	}

	@Test
	void tasksQueuedWhileASurplusWriterRetiresAreNeverStranded() throws Exception {
		// Each round a replacement writer starts and retires while two producers queue tasks:
		// a wake-up spent on the retiring writer, or an idle entry removed under a writer that
		// is about to park, once left tasks queued with every writer parked.
		SseWriterExecutor executor = platform(1, 2);
		int perProducer = 6;
		java.util.concurrent.atomic.AtomicReference<CountDownLatch> round = new java.util.concurrent.atomic.AtomicReference<>();
		java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(3);
		java.util.concurrent.CyclicBarrier end = new java.util.concurrent.CyclicBarrier(3);
		Runnable producer = () -> {
			try {
				for (;;) {
					start.await();
					CountDownLatch latch = round.get();
					if (latch == null) {
						return;
					}
					for (int i = 0; i < perProducer; i++) {
						executor.execute(latch::countDown);
					}
					end.await();
				}
			}
			catch (Exception ex) {
				// stopped
			}
		};
		Thread first = started(producer);
		Thread second = started(producer);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		try {
			for (int rounds = 1; System.nanoTime() < deadline; rounds++) {
				CountDownLatch latch = new CountDownLatch(2 * perProducer);
				round.set(latch);
				executor.writerBlocked();
				start.await();
				for (int spin = 0; spin < rounds % 50; spin++) {
					Thread.onSpinWait();
				}
				executor.writerUnblocked();
				end.await();
				assertThat(latch.await(5, TimeUnit.SECONDS)).as("round %d: every task ran", rounds).isTrue();
			}
		}
		finally {
			round.set(null);
			first.interrupt();
			second.interrupt();
		}
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void virtualWritersRunTasks() throws Exception {
		SseWriterExecutor executor = SseWriterExecutor.virtualThreads(2);
		this.executors.add(executor);
		assertThat(executor.isVirtual()).isTrue();
		CountDownLatch done = new CountDownLatch(1_000);
		for (int i = 0; i < 1_000; i++) {
			executor.execute(done::countDown);
		}
		assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
	}

	private static Thread started(Runnable task) {
		Thread thread = new Thread(task);
		thread.start();
		return thread;
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
