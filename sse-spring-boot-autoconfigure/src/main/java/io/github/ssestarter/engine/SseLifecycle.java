package io.github.ssestarter.engine;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Runs the engine's maintenance pass on one shared scheduler thread (not a task per
 * connection) and ends every stream gracefully when the application context stops (it
 * may start again: a test framework pauses cached contexts that way).
 * <p>
 * Its phase is above that of the web server's graceful shutdown, so streams are ended
 * (with a retry hint) before the server waits for in-flight requests: a stream would
 * otherwise keep the graceful shutdown waiting until its timeout.
 *
 * @since 0.1.0
 */
public final class SseLifecycle implements SmartLifecycle {

	/** Stops before the web server's graceful shutdown ({@code DEFAULT_PHASE - 1024}). */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	/** How often the maintenance pass runs. */
	static final Duration TICK = Duration.ofMillis(100);

	private static final Log logger = LogFactory.getLog(SseLifecycle.class);

	private final SseEngine engine;

	private final Duration shutdownTimeout;

	private volatile @Nullable ScheduledExecutorService scheduler;

	/**
	 * Create the lifecycle.
	 * @param engine the engine
	 * @param shutdownTimeout how long open streams get to flush at shutdown
	 */
	public SseLifecycle(SseEngine engine, Duration shutdownTimeout) {
		this.engine = engine;
		this.shutdownTimeout = shutdownTimeout;
	}

	@Override
	public synchronized void start() {
		if (this.scheduler != null) {
			return;
		}
		this.engine.resume();
		logger.info("SSE engine started: " + this.engine.describe());
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "sse-maintenance");
			thread.setDaemon(true);
			return thread;
		});
		scheduler.scheduleWithFixedDelay(this::maintain, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
		this.scheduler = scheduler;
	}

	private void maintain() {
		try {
			this.engine.maintain();
		}
		catch (RuntimeException ex) {
			logger.warn("SSE maintenance pass failed", ex); // keep the schedule alive
		}
		catch (Error ex) {
			// An escaping throwable would cancel the schedule for good: no more heartbeats,
			// lifetime ends or slow-client closes for any stream.
			logger.error("SSE maintenance pass failed; it runs again at the next tick", ex);
		}
	}

	@Override
	public synchronized void stop() {
		ScheduledExecutorService scheduler = this.scheduler;
		if (scheduler == null) {
			return;
		}
		try {
			this.engine.shutdown(this.shutdownTimeout);
		}
		finally {
			scheduler.shutdownNow();
			this.scheduler = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
