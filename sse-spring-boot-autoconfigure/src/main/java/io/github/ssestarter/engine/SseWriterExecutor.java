package io.github.ssestarter.engine;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.task.VirtualThreadTaskExecutor;

/**
 * The writers: a few threads that take the streams with something to write, one at a
 * time from a shared run queue, and write what each has in one batch.
 * <p>
 * A stream with work is on the run queue at most once (its drain status, see
 * {@link SseConnection}); a stream that still has work after its batch goes back to the
 * end of the queue, so every stream with work gets its turn. Writers that find the queue
 * empty park, and a new task wakes one parked writer, only if one is parked: under load,
 * streams are handed over without any thread being woken, so the cost of an event that
 * reaches a stream is an enqueue rather than a task submission and a thread wake-up.
 * <p>
 * The servlet transport never blocks (non-blocking I/O), but a {@link SseTransport} may: a
 * write that stays blocked holds its writer. The engine's maintenance task reports such
 * writes ({@link #writerBlocked()}) and a replacement writer starts for each, up to
 * {@code maxThreads}, so that one stalled client never holds up the others; the
 * replacement retires when the blocked write returns ({@link #writerUnblocked()}).
 * <p>
 * The writers are platform threads, or virtual threads (Java 21+) when the application
 * runs on virtual threads.
 *
 * @since 0.1.0
 */
public final class SseWriterExecutor implements Executor {

	private static final Log logger = LogFactory.getLog(SseWriterExecutor.class);

	/** The ceiling of writers on virtual threads, where a blocked writer costs little. */
	private static final int MAX_VIRTUAL_WRITERS = 10_000;

	private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	/** Writers parked for want of work, most recently parked first. */
	private final ConcurrentLinkedDeque<Writer> idle = new ConcurrentLinkedDeque<>();

	private final Set<Writer> writers = ConcurrentHashMap.newKeySet();

	private final AtomicInteger live = new AtomicInteger();

	private final ThreadFactory threadFactory;

	private final boolean virtual;

	private final int threads;

	private final int maxThreads;

	/** How many writers should run: {@code threads} plus one per blocked write, up to the ceiling. */
	private volatile int wanted;

	private volatile boolean shutdown;

	/** Guarded by {@code this}. */
	private int blocked;

	/** Guarded by {@code this}. */
	private boolean ceilingReported;

	private SseWriterExecutor(ThreadFactory threadFactory, boolean virtual, int threads, int maxThreads) {
		this.threadFactory = threadFactory;
		this.virtual = virtual;
		this.threads = threads;
		this.maxThreads = maxThreads;
		this.wanted = threads;
		startWriters();
	}

	/**
	 * Writers on virtual threads (requires Java 21 or later), one per processor (at least
	 * two).
	 * @return the executor
	 * @throws UnsupportedOperationException on Java before 21
	 */
	public static SseWriterExecutor virtualThreads() {
		return virtualThreads(Math.max(2, Runtime.getRuntime().availableProcessors()));
	}

	/**
	 * Writers on virtual threads (requires Java 21 or later).
	 * @param threads writers
	 * @return the executor
	 * @throws UnsupportedOperationException on Java before 21
	 * @since 0.3.0
	 */
	public static SseWriterExecutor virtualThreads(int threads) {
		if (threads < 1) {
			throw new IllegalArgumentException("Need at least one writer");
		}
		ThreadFactory factory = new VirtualThreadTaskExecutor("sse-writer-").getVirtualThreadFactory();
		return new SseWriterExecutor(factory, true, threads, Math.max(threads, MAX_VIRTUAL_WRITERS));
	}

	/**
	 * Writers on platform threads.
	 * @param threads writers
	 * @param maxThreads the ceiling including replacements for blocked writers
	 * @return the executor
	 */
	public static SseWriterExecutor platformThreads(int threads, int maxThreads) {
		if (threads < 1 || maxThreads < threads) {
			throw new IllegalArgumentException("Need 1 <= threads <= maxThreads");
		}
		AtomicInteger counter = new AtomicInteger();
		ThreadFactory factory = (task) -> {
			Thread thread = new Thread(task, "sse-writer-" + counter.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
		return new SseWriterExecutor(factory, false, threads, maxThreads);
	}

	/**
	 * Queue a task for the next free writer. Never blocks.
	 * @param task the task
	 * @throws RejectedExecutionException once the writers are shut down
	 */
	@Override
	public void execute(Runnable task) {
		if (this.shutdown) {
			throw new RejectedExecutionException("The SSE writers are shut down");
		}
		this.tasks.offer(task);
		if (this.shutdown && this.tasks.remove(task)) {
			// Shut down meanwhile: the writers may all have left, and nothing would run it.
			throw new RejectedExecutionException("The SSE writers are shut down");
		}
		wakeOne();
	}

	private void wakeOne() {
		Writer writer;
		while ((writer = this.idle.pollFirst()) != null) {
			if (writer.wake()) {
				return;
			}
		}
	}

	/**
	 * Whether the writers are virtual threads.
	 * @return {@code true} for virtual threads
	 */
	public boolean isVirtual() {
		return this.virtual;
	}

	/**
	 * A writer has been blocked on one client for a while: let another thread serve the
	 * others. Every call is matched by one {@link #writerUnblocked()} when the write returns.
	 */
	void writerBlocked() {
		synchronized (this) {
			this.blocked++;
			resize();
		}
		startWriters();
	}

	/**
	 * A write reported by {@link #writerBlocked()} returned: retire its replacement.
	 */
	void writerUnblocked() {
		synchronized (this) {
			this.blocked--;
			resize();
		}
		if (this.live.get() > this.wanted) {
			wakeAll(); // an idle surplus writer retires once it wakes
		}
	}

	private void resize() {
		int wantedNow = this.threads + Math.max(0, this.blocked);
		if (wantedNow > this.maxThreads && !this.ceilingReported) {
			this.ceilingReported = true;
			logger.warn("All " + this.maxThreads + " SSE writer threads are blocked on clients that do not read; "
					+ "other clients wait until sse.write-timeout closes the slow ones. The built-in endpoint never "
					+ "blocks a writer: check custom SseTransport implementations"
					+ (this.virtual ? "." : ", or raise sse.writer.max-threads."));
		}
		else if (wantedNow <= this.maxThreads) {
			this.ceilingReported = false;
		}
		this.wanted = Math.min(wantedNow, this.maxThreads);
	}

	private void startWriters() {
		for (;;) {
			int current = this.live.get();
			if (current >= this.wanted || this.shutdown) {
				return;
			}
			if (this.live.compareAndSet(current, current + 1)) {
				Writer writer = new Writer();
				this.writers.add(writer);
				writer.start(this.threadFactory);
			}
		}
	}

	private void wakeAll() {
		for (Writer writer : this.writers) {
			// Its idle entry stays: wakeOne skips an entry whose writer is not parked. Removing it
			// here could remove the entry the writer has just added for its next park.
			writer.wake();
		}
	}

	/**
	 * How many writers run now: the configured number, plus replacements for blocked
	 * writes.
	 * @return the writer count
	 */
	public int poolSize() {
		return this.wanted;
	}

	/**
	 * Writers running now (a retiring one leaves the count before its thread ends).
	 * @return the count
	 */
	int liveWriters() {
		return this.live.get();
	}

	/**
	 * Stop the writers once they have run what is queued, waiting up to the timeout; then
	 * interrupt those still running. Tasks queued later are rejected.
	 * @param timeout how long to wait
	 */
	void shutdown(Duration timeout) {
		this.shutdown = true;
		wakeAll();
		long deadline = System.nanoTime() + timeout.toNanos();
		try {
			for (Writer writer : this.writers) {
				long left = deadline - System.nanoTime();
				if (left <= 0 || !writer.join(left)) {
					break;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		for (Writer writer : this.writers) {
			writer.interrupt();
		}
	}

	/**
	 * Whether this writer should stop: it is one too many (a blocked write returned), or
	 * the writers are shut down and, as it found nothing to run ({@code idle}), nothing is
	 * queued (looked at again here: a task queued just before the shutdown is still run).
	 * It leaves the count if so.
	 */
	private boolean retire(Writer writer, boolean idle) {
		for (;;) {
			int current = this.live.get();
			if (current <= this.wanted && !(this.shutdown && idle && this.tasks.isEmpty())) {
				return false;
			}
			if (this.live.compareAndSet(current, current - 1)) {
				this.writers.remove(writer);
				return true;
			}
		}
	}

	/** One writer thread: runs queued tasks, parks while there are none. */
	private final class Writer implements Runnable {

		private final AtomicBoolean parked = new AtomicBoolean();

		private volatile Thread thread;

		void start(ThreadFactory factory) {
			Thread started = factory.newThread(this);
			this.thread = started;
			started.start();
		}

		@Override
		public void run() {
			ConcurrentLinkedQueue<Runnable> queue = SseWriterExecutor.this.tasks;
			for (;;) {
				Runnable task = queue.poll();
				if (task != null) {
					unpark();
					runSafely(task);
					if (retire(this, false)) {
						handOver(); // a surplus writer: another one picks up what is left
						return;
					}
					continue;
				}
				if (retire(this, true)) {
					unpark();
					handOver();
					return;
				}
				if (this.parked.compareAndSet(false, true)) {
					SseWriterExecutor.this.idle.offerFirst(this);
				}
				// Re-check after announcing: a task queued before it saw no idle writer.
				if (!queue.isEmpty() || SseWriterExecutor.this.shutdown) {
					unpark();
					continue;
				}
				LockSupport.park(this);
			}
		}

		/**
		 * Wake another writer for what is queued: a wake-up meant for a task may have been
		 * spent on this writer while it was already running (it had not left the idle list
		 * yet), and it will not look at the queue again.
		 */
		private void handOver() {
			if (!SseWriterExecutor.this.tasks.isEmpty()) {
				wakeOne();
			}
		}

		/** Leave the idle list if still on it (not woken by a task). */
		private void unpark() {
			if (this.parked.get() && this.parked.compareAndSet(true, false)) {
				SseWriterExecutor.this.idle.remove(this);
			}
		}

		/** Wake this writer if it is parked; returns whether it was. */
		boolean wake() {
			if (this.parked.compareAndSet(true, false)) {
				LockSupport.unpark(this.thread);
				return true;
			}
			return false;
		}

		void interrupt() {
			this.thread.interrupt();
		}

		boolean join(long nanos) throws InterruptedException {
			Thread current = this.thread;
			current.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
			return !current.isAlive();
		}

		private void runSafely(Runnable task) {
			try {
				task.run();
			}
			catch (Throwable ex) {
				logger.error("An SSE writer task failed; the writer goes on", ex);
			}
		}

	}

}
