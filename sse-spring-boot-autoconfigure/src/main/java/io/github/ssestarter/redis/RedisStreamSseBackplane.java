package io.github.ssestarter.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

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
import io.github.ssestarter.store.HistoryPage;
import io.github.ssestarter.store.OutgoingEvent;
import io.github.ssestarter.store.StoredEvent;

/**
 * An {@link SseBackplane} on the Redis Stream of {@link RedisStreamSseEventStore}: publishing
 * appends to the stream, and every node (the publishing one included) reads the stream on
 * one thread and delivers each entry locally, in stream order. An event therefore reaches
 * each subscriber once, on whichever node it is connected, with no echo.
 * <p>
 * Guarantees: publishing succeeds only once the event is in Redis, and fails fast with an
 * {@link SseBackplaneException} otherwise (counted; {@code spring.data.redis.timeout} bounds
 * how long a publish may wait for an unreachable Redis). A node that loses Redis keeps its
 * streams open, reconnects by itself, and resumes reading after the last entry it
 * delivered. Each read takes at most as many entries as fit a fixed byte budget at the
 * largest event size. The reader checks that what it reads continues what it delivered: sequences
 * are dense within a generation, so entries trimmed before this node read them are a
 * visible gap, and a new generation (Redis lost its data or its continuity) is noticed on
 * the next entry, the next idle poll or the next reconnect. Either way every stream is told
 * to reset at that place ({@link Delivery#skipTo}): never a silent gap. Entries that are
 * not events of the store are skipped, counted and logged once; the reader survives any
 * error, and there is exactly one reader delivering
 * at any time, even across a stop and start while an old reader is stuck in a call.
 *
 * @since 0.1.0
 */
public final class RedisStreamSseBackplane implements SseBackplane {

	private static final Log logger = LogFactory.getLog(RedisStreamSseBackplane.class);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

	/** How often a busy reader checks that the stream's generation has not changed (an idle one checks on every poll). */
	private static final Duration GENERATION_CHECK = Duration.ofSeconds(5);

	/** How often refused publishes are logged at most. */
	private static final Duration REFUSAL_WARNING_INTERVAL = Duration.ofMinutes(1);

	/**
	 * The most bytes one read may fetch: a read takes at most this divided by the largest
	 * event size entries, so that a backlog of large events never makes one response so
	 * large that it times out and is retried forever.
	 */
	static final long READ_BATCH_BYTES = 16L * 1024 * 1024;

	private final RedisConnectionFactory connectionFactory;

	private final RedisStreamSseEventStore store;

	/** The most entries one read takes. */
	private final int readCount;

	private final Duration pollTimeout;

	private final LongAdder errors = new LongAdder();

	private final LongAdder skippedEntries = new LongAdder();

	/** Held while a batch is delivered; a reader delivers only while it is {@link #reader}. */
	private final ReentrantLock delivering = new ReentrantLock();

	/** Signalled whenever the reader has delivered or checked the generation. */
	private final Object progress = new Object();

	private volatile boolean available = true;

	/** Redis answered the last publish with an error (it is reachable). */
	private volatile boolean refusing;

	private final LongAdder refusalsSinceStored = new LongAdder();

	/** When refusals were last logged ({@link System#nanoTime()}), or 0. */
	private volatile long refusalWarnedAt;

	private volatile long lagMillis;

	/** The one reader that may deliver, or {@code null} when stopped. Changed under {@link #delivering}. */
	private volatile @Nullable Thread reader;

	/** The last event delivered on this node, or {@code null} before the reader first reached Redis. */
	private volatile @Nullable RedisEventId delivered;

	/** Generation checks started, and the number of the last one finished. */
	private volatile long checksStarted;

	private volatile long checksFinished;

	/** Someone waits for the reader to check the generation. */
	private volatile boolean checkRequested;

	/**
	 * Create the backplane.
	 * @param connectionFactory connects to Redis
	 * @param store the stream store events are appended to
	 * @param batchSize the most entries read at once
	 * @param maxEventSize the largest encoded event ({@code sse.max-event-size}): a read takes
	 * no more entries than fit {@value #READ_BATCH_BYTES} bytes at that size
	 * @param pollTimeout how long one read waits for new entries
	 * @since 0.2.0
	 */
	public RedisStreamSseBackplane(RedisConnectionFactory connectionFactory, RedisStreamSseEventStore store,
			int batchSize, long maxEventSize, Duration pollTimeout) {
		this.connectionFactory = connectionFactory;
		this.store = store;
		this.readCount = (int) Math.max(1, Math.min(batchSize, READ_BATCH_BYTES / Math.max(1, maxEventSize)));
		this.pollTimeout = pollTimeout;
	}

	@Override
	public synchronized void start(String position, Delivery delivery) {
		if (this.reader != null) {
			return;
		}
		Reader task = new Reader(RedisEventId.parse(position), delivery);
		Thread thread = new Thread(task, "sse-redis-reader");
		thread.setDaemon(true);
		task.self = thread;
		this.delivering.lock();
		try {
			this.reader = thread;
		}
		finally {
			this.delivering.unlock();
		}
		thread.start();
	}

	@Override
	public synchronized void stop() {
		Thread thread = this.reader;
		this.delivering.lock();
		try {
			this.reader = null; // from here on, no reader delivers
		}
		finally {
			this.delivering.unlock();
		}
		if (thread != null) {
			thread.interrupt();
			try {
				thread.join(this.pollTimeout.plusSeconds(1).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public String describe() {
		return "redis (" + this.store.describeServer() + ", stream "
				+ new String(this.store.keys().stream(), StandardCharsets.UTF_8) + ")";
	}

	@Override
	public String publish(OutgoingEvent event) {
		String id;
		try {
			id = this.store.append(event).id();
		}
		catch (SseBackplaneException ex) {
			this.errors.increment();
			if (!LuaScript.refused(ex)) {
				this.available = false;
			}
			else {
				refused(ex);
			}
			throw ex;
		}
		if (this.refusing) {
			this.refusing = false;
			this.refusalsSinceStored.reset();
		}
		return id;
	}

	/**
	 * Redis answered a publish with an error: it is reachable (delivery goes on) and stores
	 * nothing, or nothing this large. Said at most once a minute, however refusals and
	 * successes alternate (near its memory limit small events may pass and large ones not).
	 */
	private void refused(SseBackplaneException ex) {
		this.refusing = true;
		this.refusalsSinceStored.increment();
		long now = System.nanoTime();
		long warned = this.refusalWarnedAt;
		if (warned == 0 || now - warned > REFUSAL_WARNING_INTERVAL.toNanos()) {
			this.refusalWarnedAt = now;
			logger.warn("Redis (" + this.store.describeServer() + ") refuses to store SSE events, so publishing them "
					+ "fails (is it at its maxmemory?); " + this.refusalsSinceStored.sum() + " refused since the last one "
					+ "it stored: " + ex.getMessage());
		}
	}

	@Override
	public boolean awaitDelivered(String id, Duration timeout) {
		RedisEventId target = RedisEventId.parse(id);
		if (target == null) {
			return true;
		}
		// Without Redis the reader cannot catch up: answer at once rather than hold a request
		// thread (after a node restart, every client reconnects with an id).
		long deadline = System.nanoTime() + (this.available ? timeout.toNanos() : 0);
		long checksBefore = this.checksStarted;
		RedisEventId at = this.delivered;
		if (this.available && at != null && at.generation().equals(target.generation())
				&& target.sequence() > at.sequence() && !issued(target)) {
			return true; // made up: never issued, the history says so (no wait, no retry loop)
		}
		synchronized (this.progress) {
			for (;;) {
				at = this.delivered;
				if (at != null && at.generation().equals(target.generation())) {
					if (target.sequence() <= at.sequence()) {
						return true;
					}
				}
				else if (at != null && this.checksFinished > checksBefore) {
					return true; // Redis is in another generation: the history tells the client so
				}
				else {
					this.checkRequested = true; // the reader may not have noticed a new generation yet
				}
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return false;
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.progress, remaining);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
		}
	}

	/** Whether Redis has issued the id (an unreachable Redis counts as yes: the node is then behind). */
	private boolean issued(RedisEventId id) {
		try {
			RedisEventId position = this.store.position();
			return !position.generation().equals(id.generation()) || id.sequence() <= position.sequence();
		}
		catch (SseBackplaneException ex) {
			return true;
		}
	}

	private void signalProgress() {
		synchronized (this.progress) {
			this.progress.notifyAll();
		}
	}

	/** The most entries one read takes. */
	int readCount() {
		return this.readCount;
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

	@Override
	public long skippedEntries() {
		return this.skippedEntries.sum();
	}

	/** The reading loop of one reader thread and where it stands. */
	private final class Reader implements Runnable {

		private final @Nullable RedisEventId start;

		private final Delivery delivery;

		private @Nullable Thread self;

		/** The generation being read, or {@code null} before Redis was first reached. */
		private @Nullable String generation;

		/** The sequence of the last event delivered. */
		private long last;

		/** The stream id of the last entry read (delivered or skipped). */
		private String offset = "0-0";

		/** The token of the last event delivered ({@code c}), which the next one links to ({@code p}). */
		private byte @Nullable [] lastToken;

		/** The next entry did not link to the last one delivered: the stream was rolled back. */
		private boolean discontinued;

		private boolean checkGeneration = true;

		private long checkedAt;

		private boolean warnedSkipped;

		/** An entry of another generation met in the stream, before the check that explains it. */
		private @Nullable String suspect;

		Reader(@Nullable RedisEventId start, Delivery delivery) {
			this.start = start;
			this.delivery = delivery;
		}

		private boolean current() {
			return RedisStreamSseBackplane.this.reader == this.self;
		}

		@Override
		public void run() {
			long backoff = 50;
			RedisConnection connection = null;
			while (current()) {
				try {
					if (this.checkGeneration || RedisStreamSseBackplane.this.checkRequested
							|| System.nanoTime() - this.checkedAt > GENERATION_CHECK.toNanos()) {
						checkGeneration();
					}
					if (connection == null) {
						connection = RedisStreamSseBackplane.this.connectionFactory.getConnection();
					}
					List<RedisStreamEntry> entries = read(connection);
					reachable();
					backoff = 50;
					if (entries.isEmpty()) {
						this.checkGeneration = true; // idle: a new generation would not show in the stream
					}
					else {
						deliver(entries);
					}
				}
				catch (Throwable ex) { // the reader must survive anything, and try again
					if (!current()) {
						break;
					}
					RedisStreamSseBackplane.this.errors.increment();
					if (RedisStreamSseBackplane.this.available) {
						if (ex instanceof RuntimeException) {
							logger.warn("Lost Redis (" + RedisStreamSseBackplane.this.store.describeServer()
									+ ") while reading SSE events; retrying (local streams stay open): " + ex);
						}
						else {
							logger.error("Unexpected error while reading SSE events from Redis; retrying", ex);
						}
					}
					RedisStreamSseBackplane.this.available = false;
					this.checkGeneration = true;
					connection = closeQuietly(connection);
					sleep(backoff);
					backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
				}
			}
			closeQuietly(connection);
		}

		/** Redis answered: if it was unreachable, say that delivery goes on. */
		private void reachable() {
			if (!RedisStreamSseBackplane.this.available) {
				logger.info("Redis is reachable again; this node delivers SSE events again");
			}
			RedisStreamSseBackplane.this.available = true;
		}

		/** The next entries, waiting up to the poll timeout for one; at most {@code readCount} of them. */
		private List<RedisStreamEntry> read(RedisConnection connection) {
			List<ByteRecord> records = connection.streamCommands()
				.xRead(StreamReadOptions.empty()
					.block(RedisStreamSseBackplane.this.pollTimeout)
					.count(RedisStreamSseBackplane.this.readCount),
						StreamOffset.create(RedisStreamSseBackplane.this.store.keys().stream(),
								ReadOffset.from(this.offset)));
			if (records == null || records.isEmpty()) {
				return List.of();
			}
			List<RedisStreamEntry> entries = new ArrayList<>(records.size());
			for (ByteRecord record : records) {
				entries.add(RedisStreamEntry.of(record));
			}
			return entries;
		}

		/**
		 * Find where the stream stands and whether it continues what was delivered: on the
		 * first contact, join at this node's start position if Redis still has it, else at
		 * Redis's position (this node started while Redis was unreachable, or Redis lost its
		 * data meanwhile); on a new generation, read it from its start. Both are a skip.
		 */
		private void checkGeneration() {
			long check = ++RedisStreamSseBackplane.this.checksStarted;
			RedisStreamSseBackplane.this.checkRequested = false;
			RedisEventId position = (this.discontinued && this.generation != null)
					? RedisStreamSseBackplane.this.store.discontinued(this.generation)
					: RedisStreamSseBackplane.this.store
						.position((this.generation != null) ? new RedisEventId(this.generation, this.last) : null);
			this.discontinued = false;
			if (!position.generation().equals(this.generation)
					&& RedisStreamSseBackplane.this.store.hasEnded(position.generation())) {
				logger.warn("The SSE stream in Redis is back at a generation that had ended (its keys were rolled back "
						+ "to an earlier backup): ending it again; streams are sent sse.reset");
				position = RedisStreamSseBackplane.this.store.discontinued(position.generation());
			}
			if (this.generation != null && !position.generation().equals(this.generation)) {
				RedisStreamSseBackplane.this.store.generationEnded(this.generation);
			}
			reachable();
			RedisStreamSseBackplane.this.delivering.lock();
			try {
				if (!current()) {
					return;
				}
				if (this.generation == null) {
					RedisEventId start = this.start;
					if (start != null && start.generation().equals(position.generation())
							&& start.sequence() <= position.sequence()) {
						joinAt(start.generation(), start.sequence());
					}
					else {
						joinAt(position.generation(), position.sequence());
						this.delivery.skipTo(position.toString(), HistoryPage.Reset.UNKNOWN);
					}
				}
				else if (!position.generation().equals(this.generation)) {
					logger.info("The SSE stream in Redis started a new generation of ids (Redis restarted, failed "
							+ "over, or lost its keys): events of the old one that this node had not delivered are "
							+ "lost, and its streams are sent sse.reset");
					joinAt(position.generation(), 0);
					this.delivery.skipTo(new RedisEventId(position.generation(), 0).toString(),
							HistoryPage.Reset.UNKNOWN);
				}
			}
			finally {
				RedisStreamSseBackplane.this.delivering.unlock();
			}
			this.checkGeneration = false;
			this.checkedAt = System.nanoTime();
			RedisStreamSseBackplane.this.checksFinished = check;
			signalProgress();
		}

		private void joinAt(String generation, long sequence) {
			this.suspect = null;
			this.generation = generation;
			this.last = sequence;
			this.lastToken = null;
			this.offset = RedisEventId.streamId(sequence);
			RedisStreamSseBackplane.this.delivered = new RedisEventId(generation, sequence);
			RedisStreamSseBackplane.this.store.observed(RedisStreamSseBackplane.this.delivered);
		}

		/**
		 * Deliver entries in order, checking each continues the last: an entry of another
		 * generation stops the batch (the generation is checked next); a sequence beyond the
		 * next is a gap (this node fell behind the stream's trimming), reported as a skip; the
		 * next sequence that does not link to the last event delivered means the keys were
		 * rolled back and those sequences issued again, so the generation ends (a new one
		 * starts, and the streams are sent {@code sse.reset}).
		 */
		private void deliver(List<RedisStreamEntry> entries) {
			RedisStreamSseBackplane.this.delivering.lock();
			try {
				if (!current() || this.generation == null) {
					return;
				}
				for (RedisStreamEntry entry : entries) {
					StoredEvent event = RedisStreamSseBackplane.this.store.toStoredEvent(entry);
					if (event != null && !this.generation.equals(entry.generation())
							&& !entry.id().equals(this.suspect)) {
						// Another generation: check the stream's before reading on. If it has not
						// changed, this entry is a stray copy and is skipped when read again.
						this.suspect = entry.id();
						this.checkGeneration = true;
						break;
					}
					this.offset = entry.id();
					if (event == null || !this.generation.equals(entry.generation())) {
						skipped(entry);
						continue;
					}
					long sequence = entry.sequence();
					if (sequence <= this.last) {
						continue;
					}
					if (sequence == this.last + 1 && !linksToLast(entry)) {
						logger.warn("The SSE stream in Redis no longer continues what this node delivered (its keys "
								+ "were rolled back, e.g. restored from a backup): ending the generation; streams are "
								+ "sent sse.reset");
						this.discontinued = true;
						this.checkGeneration = true;
						break;
					}
					if (sequence > this.last + 1) {
						this.delivery.skipTo(new RedisEventId(this.generation, sequence - 1).toString(),
								HistoryPage.Reset.EXPIRED);
					}
					this.delivery.deliver(event);
					this.last = sequence;
					this.lastToken = entry.field("c");
					RedisStreamSseBackplane.this.lagMillis = Math.max(0,
							System.currentTimeMillis() - event.timestamp());
				}
				RedisStreamSseBackplane.this.delivered = new RedisEventId(this.generation, this.last);
				RedisStreamSseBackplane.this.store.observed(RedisStreamSseBackplane.this.delivered);
			}
			finally {
				RedisStreamSseBackplane.this.delivering.unlock();
			}
			signalProgress();
		}

		/** Whether the entry links to the last one delivered (entries of older versions carry no link). */
		private boolean linksToLast(RedisStreamEntry entry) {
			byte[] link = entry.field("p");
			return link == null || this.lastToken == null || Arrays.equals(link, this.lastToken);
		}

		private void skipped(RedisStreamEntry entry) {
			RedisStreamSseBackplane.this.skippedEntries.increment();
			if (!this.warnedSkipped) {
				this.warnedSkipped = true;
				logger.warn("Skipping entry " + entry.id() + " of the SSE stream in Redis: it is not an SSE event "
						+ "(does another application write to the same key? Give each its own "
						+ "sse.backplane.redis.key-prefix). Further such entries are counted, not logged");
			}
		}

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

}
