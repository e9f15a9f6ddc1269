package io.github.ssestarter.engine;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.VirtualThreadTaskExecutor;

/**
 * Runs the connections' drain tasks, which write to sockets with blocking I/O (the servlet
 * API behind {@code SseEmitter} blocks while a client's socket buffer is full).
 * <p>
 * Two modes:
 * <ul>
 * <li><b>Virtual threads</b> (Java 21+): one cheap thread per running drain; a client
 * that stops reading parks only its own virtual thread.</li>
 * <li><b>Platform pool</b>: a small fixed pool. A write that stays blocked costs one pool
 * thread, so the engine's maintenance task reports such writers
 * ({@link #writerBlocked()}) and the pool starts a replacement thread for each, up to a
 * ceiling, so that one stalled client never holds up the others. The replacement is
 * retired when the blocked write returns ({@link #writerUnblocked()}).</li>
 * </ul>
 *
 * @since 0.1.0
 */
public final class SseWriterExecutor implements Executor {

	private static final Log logger = LogFactory.getLog(SseWriterExecutor.class);

	private final Executor executor;

	private final @Nullable ThreadPoolExecutor pool;

	private final int threads;

	private final int maxThreads;

	private int blocked;

	private boolean ceilingReported;

	private SseWriterExecutor(Executor executor, @Nullable ThreadPoolExecutor pool, int threads, int maxThreads) {
		this.executor = executor;
		this.pool = pool;
		this.threads = threads;
		this.maxThreads = maxThreads;
	}

	/**
	 * Writers on virtual threads (requires Java 21 or later).
	 * @return the executor
	 * @throws UnsupportedOperationException on Java before 21
	 */
	public static SseWriterExecutor virtualThreads() {
		return new SseWriterExecutor(new VirtualThreadTaskExecutor("sse-writer-"), null, 0, 0);
	}

	/**
	 * Writers on a small pool of platform threads.
	 * @param threads threads that run drains
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
		ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), factory);
		return new SseWriterExecutor(pool, pool, threads, maxThreads);
	}

	@Override
	public void execute(Runnable task) {
		this.executor.execute(task);
	}

	/**
	 * Whether drains run on virtual threads.
	 * @return {@code true} for virtual threads
	 */
	public boolean isVirtual() {
		return this.pool == null;
	}

	/**
	 * A writer has been blocked on one client for a while: let another thread serve the
	 * others. Every call is matched by one {@link #writerUnblocked()} when the write returns.
	 */
	void writerBlocked() {
		if (this.pool != null) {
			synchronized (this) {
				this.blocked++;
				resize();
			}
		}
	}

	/**
	 * A write reported by {@link #writerBlocked()} returned: retire its replacement.
	 */
	void writerUnblocked() {
		if (this.pool != null) {
			synchronized (this) {
				this.blocked--;
				resize();
			}
		}
	}

	private void resize() {
		ThreadPoolExecutor pool = this.pool;
		int wanted = this.threads + Math.max(0, this.blocked);
		int size = Math.min(wanted, this.maxThreads);
		if (wanted > this.maxThreads && !this.ceilingReported) {
			this.ceilingReported = true;
			logger.warn("All " + this.maxThreads + " SSE writer threads are blocked on clients that do not read; "
					+ "other clients wait until sse.write-timeout closes the slow ones. Consider virtual threads "
					+ "(Java 21+, spring.threads.virtual.enabled=true) or a higher sse.writer.max-threads.");
		}
		else if (wanted <= this.maxThreads) {
			this.ceilingReported = false;
		}
		if (size > pool.getMaximumPoolSize()) {
			pool.setMaximumPoolSize(size);
			pool.setCorePoolSize(size);
		}
		else if (size < pool.getMaximumPoolSize()) {
			pool.setCorePoolSize(size);
			pool.setMaximumPoolSize(size);
		}
	}

	/**
	 * How many threads the platform pool currently allows (0 for virtual threads).
	 * @return the pool size
	 */
	public int poolSize() {
		ThreadPoolExecutor pool = this.pool;
		return (pool != null) ? pool.getMaximumPoolSize() : 0;
	}

	/**
	 * Stop the platform pool, waiting for running writes up to the timeout.
	 * @param timeout how long to wait
	 */
	void shutdown(Duration timeout) {
		ThreadPoolExecutor pool = this.pool;
		if (pool == null) {
			return;
		}
		pool.shutdown();
		try {
			if (!pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				pool.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			pool.shutdownNow();
			Thread.currentThread().interrupt();
		}
	}

}
