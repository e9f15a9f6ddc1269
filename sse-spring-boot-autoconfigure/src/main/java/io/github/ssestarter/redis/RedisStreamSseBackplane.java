package io.github.ssestarter.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;

import io.github.ssestarter.backplane.SseBackplane;
import io.github.ssestarter.backplane.SseBackplaneException;
import io.github.ssestarter.store.OutgoingEvent;
import io.github.ssestarter.store.StoredEvent;

/**
 * An {@link SseBackplane} on the Redis Stream of {@link RedisStreamSseEventStore}: publishing
 * appends to the stream, and every node (the publishing one included) reads the stream
 * with {@code XREAD BLOCK} on one thread and delivers each entry locally, in stream order.
 * An event therefore reaches each subscriber once, on whichever node it is connected,
 * with no echo.
 * <p>
 * Guarantees: publishing succeeds only once the event is in Redis, and fails fast with an
 * {@link SseBackplaneException} otherwise (counted; set {@code spring.data.redis.timeout}
 * to bound how long a publish may wait for an unreachable Redis). A node that loses Redis
 * keeps its streams open, reconnects by itself, and resumes reading after the last entry
 * it delivered, so it catches up on everything still in the stream.
 *
 * @since 0.1.0
 */
public final class RedisStreamSseBackplane implements SseBackplane {

	private static final Log logger = LogFactory.getLog(RedisStreamSseBackplane.class);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

	/** How often an idle reader checks that the stream's generation has not changed. */
	private static final Duration GENERATION_CHECK = Duration.ofSeconds(5);

	private final RedisConnectionFactory connectionFactory;

	private final RedisStreamSseEventStore store;

	private final int batchSize;

	private final Duration pollTimeout;

	private final LongAdder errors = new LongAdder();

	private volatile boolean available = true;

	private volatile boolean running;

	private volatile long lagMillis;

	private volatile @Nullable Thread reader;

	/**
	 * Create the backplane.
	 * @param connectionFactory connects to Redis
	 * @param store the stream store events are appended to
	 * @param batchSize the most entries read at once
	 * @param pollTimeout how long one read waits for new entries
	 */
	public RedisStreamSseBackplane(RedisConnectionFactory connectionFactory, RedisStreamSseEventStore store,
			int batchSize, Duration pollTimeout) {
		this.connectionFactory = connectionFactory;
		this.store = store;
		this.batchSize = batchSize;
		this.pollTimeout = pollTimeout;
	}

	@Override
	public synchronized void start(String position, Consumer<StoredEvent> delivery) {
		if (this.running) {
			return;
		}
		RedisEventId start = RedisEventId.parse(position);
		this.running = true;
		Thread thread = new Thread(() -> read(start, delivery),
				"sse-redis-reader");
		thread.setDaemon(true);
		this.reader = thread;
		thread.start();
	}

	private void read(@Nullable RedisEventId position, Consumer<StoredEvent> delivery) {
		String generation = (position != null) ? position.generation() : null;
		String last = RedisEventId.streamId((position != null) ? position.sequence() : 0);
		long backoff = 50;
		long generationCheckedAt = System.nanoTime();
		boolean checkGeneration = false;
		RedisConnection connection = null;
		while (this.running) {
			try {
				if (checkGeneration || System.nanoTime() - generationCheckedAt > GENERATION_CHECK.toNanos()) {
					// A new generation (Redis lost its data) restarts the sequence: read it from the start.
					String current = this.store.generation();
					if (!current.equals(generation)) {
						if (generation != null) {
							logger.info("The SSE stream in Redis started a new generation; reading it from the start");
						}
						generation = current;
						last = RedisEventId.streamId(0);
					}
					generationCheckedAt = System.nanoTime();
					checkGeneration = false;
				}
				if (connection == null) {
					connection = this.connectionFactory.getConnection();
				}
				List<ByteRecord> entries = connection.streamCommands()
					.xRead(StreamReadOptions.empty().block(this.pollTimeout).count(this.batchSize),
							StreamOffset.create(this.store.keys().stream(), ReadOffset.from(last)));
				if (!this.available) {
					logger.info("Redis is reachable again; delivering SSE events after " + last);
				}
				this.available = true;
				backoff = 50;
				for (ByteRecord entry : entries) {
					StoredEvent event = this.store.toStoredEvent(entry);
					delivery.accept(event);
					last = entry.getId().getValue();
					this.lagMillis = Math.max(0, System.currentTimeMillis() - event.timestamp());
				}
			}
			catch (RuntimeException ex) {
				if (!this.running) {
					break;
				}
				this.errors.increment();
				if (this.available) {
					logger.warn("Lost Redis while reading SSE events; retrying (local streams stay open): " + ex);
				}
				this.available = false;
				checkGeneration = true;
				connection = closeQuietly(connection);
				sleep(backoff);
				backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
			}
		}
		closeQuietly(connection);
	}

	private static @Nullable RedisConnection closeQuietly(@Nullable RedisConnection connection) {
		if (connection != null) {
			try {
				connection.close();
			}
			catch (RuntimeException ex) {
				logger.debug("Could not close a Redis connection", ex);
			}
		}
		return null;
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public String publish(OutgoingEvent event) {
		try {
			return this.store.append(event).id();
		}
		catch (SseBackplaneException ex) {
			this.errors.increment();
			this.available = false;
			throw ex;
		}
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		Thread thread = this.reader;
		if (thread != null) {
			try {
				thread.join(this.pollTimeout.plusSeconds(1).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.reader = null;
		}
	}

	@Override
	public boolean isAvailable() {
		return this.available;
	}

	@Override
	public long errorCount() {
		return this.errors.sum();
	}

	@Override
	public long lagMillis() {
		return this.lagMillis;
	}

}
