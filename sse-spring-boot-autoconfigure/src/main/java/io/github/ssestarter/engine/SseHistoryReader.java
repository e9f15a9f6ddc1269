package io.github.ssestarter.engine;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.ssestarter.store.HistoryPage;
import io.github.ssestarter.store.SseEventStore;

/**
 * Reads the pages of history that streams write before their live queue: on the
 * drainer's own thread for an in-memory history ({@link SseEventStore#isLocal()}), else on
 * a few threads of its own, so that a slow or stalled remote store never holds a writer
 * thread (heartbeats and other streams' writes go on). Each stream has at most one page
 * being read at a time, so the reader's queue is bounded by the number of streams.
 */
final class SseHistoryReader {

	private static final Log logger = LogFactory.getLog(SseHistoryReader.class);

	private final SseEventStore store;

	private final int pageEvents;

	private final long pageBytes;

	private final @Nullable ThreadPoolExecutor pool;

	private final Executor executor;

	/** Whether an eviction pass of a remote history is running or queued. */
	private final AtomicBoolean evicting = new AtomicBoolean();

	/**
	 * @param store the history
	 * @param pageEvents the most events on one page
	 * @param pageBytes the most bytes on one page (plus at most one event)
	 * @param threads how many threads read a remote history
	 */
	SseHistoryReader(SseEventStore store, int pageEvents, long pageBytes, int threads) {
		this.store = store;
		this.pageEvents = pageEvents;
		this.pageBytes = pageBytes;
		this.pool = store.isLocal() ? null : newPool(threads);
		this.executor = (this.pool != null) ? this.pool : Runnable::run;
	}

	private static ThreadPoolExecutor newPool(int threads) {
		AtomicInteger count = new AtomicInteger();
		ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), (task) -> {
					Thread thread = new Thread(task, "sse-history-" + count.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		pool.allowCoreThreadTimeOut(true);
		return pool;
	}

	/**
	 * Read the page after {@code afterId} for the stream and hand it to
	 * {@link SseConnection#pageArrived}.
	 */
	void read(SseConnection connection, String afterId, String upToId) {
		try {
			this.executor.execute(() -> connection.pageArrived(page(connection, afterId, upToId)));
		}
		catch (RejectedExecutionException ex) {
			connection.pageArrived(HistoryPage.reset(HistoryPage.Reset.UNAVAILABLE, upToId));
		}
	}

	private HistoryPage page(SseConnection connection, String afterId, String upToId) {
		try {
			return this.store.read(afterId, upToId, (event) -> event.isFor(connection.topics()), this.pageEvents,
					this.pageBytes);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not read the SSE history for client " + connection.clientId()
					+ "; it is told to reset", ex);
			return HistoryPage.reset(HistoryPage.Reset.UNAVAILABLE, upToId);
		}
	}

	/**
	 * Let the history drop what has expired: inline for an in-memory history, else on a
	 * reader thread, at most one pass at a time, so that a slow or stalled remote store never
	 * holds up the maintenance pass that calls this (heartbeats, lifetime ends and slow-client
	 * closes go on whatever the store does).
	 */
	void evictExpired() {
		if (this.pool == null) {
			this.store.evictExpired();
			return;
		}
		if (!this.evicting.compareAndSet(false, true)) {
			return;
		}
		try {
			this.pool.execute(() -> {
				try {
					this.store.evictExpired();
				}
				catch (RuntimeException ex) {
					logger.debug("Could not expire old SSE history", ex);
				}
				finally {
					this.evicting.set(false);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			this.evicting.set(false);
		}
	}

	void shutdown(Duration timeout) {
		if (this.pool != null) {
			this.pool.shutdown();
			try {
				this.pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
