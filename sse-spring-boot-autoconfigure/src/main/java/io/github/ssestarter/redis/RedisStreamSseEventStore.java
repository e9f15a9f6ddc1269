package io.github.ssestarter.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.stream.ByteRecord;

import io.github.ssestarter.backplane.SseBackplaneException;
import io.github.ssestarter.encode.EncodedEvent;
import io.github.ssestarter.store.OutgoingEvent;
import io.github.ssestarter.store.HistoryPage;
import io.github.ssestarter.store.SseEventStore;
import io.github.ssestarter.store.StoredEvent;

/**
 * An {@link SseEventStore} on a Redis Stream shared by every node: one ordered log that
 * assigns the ids (the same on every node, so a client resumes wherever it reconnects) and
 * keeps the history, bounded by length on every append ({@code MAXLEN ~}) and by age by a
 * periodic trim.
 * <p>
 * Ids are {@code <generation>-<sequence>}, like the in-memory store's. A small hash next
 * to the stream holds the generation (random) and the last sequence; one script reads and
 * increments them and appends the entry with the stream id {@code <sequence>-0},
 * atomically, so ids are dense and ordered across nodes. Whether the events after an id
 * were trimmed is then a comparison with the stream's first entry; an expired id yields a
 * reset, never a partial replay. When Redis loses its data (a restart without
 * persistence) the hash is gone, the next append starts a new generation, and a client's
 * id from before is reported as unknown instead of being replayed with a silent gap.
 *
 * @since 0.1.0
 */
public final class RedisStreamSseEventStore implements SseEventStore {

	private static final Log logger = LogFactory.getLog(RedisStreamSseEventStore.class);

	/** Starts a generation if there is none (dropping entries of a lost one). Shared by the scripts. */
	private static final String ENSURE_GENERATION = """
			local g = redis.call('HGET', KEYS[2], 'g')
			if not g then
			  g = ARGV[1]
			  redis.call('DEL', KEYS[1])
			  redis.call('HSET', KEYS[2], 'g', g, 'n', 0)
			end
			""";

	/** Appends an event with the next sequence; returns {generation, sequence, timestamp}. */
	private static final Script APPEND = Script.of(ENSURE_GENERATION + """
			local n = redis.call('HINCRBY', KEYS[2], 'n', 1)
			local t = redis.call('TIME')
			local ts = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
			redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], n .. '-0', 'g', g, 'ts', ts, 't', ARGV[3], 'b', ARGV[4], 'd', ARGV[5])
			return {g, n, ts}
			""");

	/** Returns {generation, last sequence, first retained sequence or 0}. */
	private static final Script POSITION = Script.of(ENSURE_GENERATION + """
			local n = tonumber(redis.call('HGET', KEYS[2], 'n'))
			local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
			local f = 0
			if #first > 0 then
			  f = tonumber(string.match(first[1][1], '^(%d+)'))
			end
			return {g, n, f}
			""");

	/** Trims entries older than ARGV[1] (epoch millis), reading at most ARGV[2] entries; returns how many. */
	private static final Script TRIM_BY_AGE = Script.of("""
			local entries = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', ARGV[2])
			local keep = nil
			for _, entry in ipairs(entries) do
			  local fields = entry[2]
			  for i = 1, #fields, 2 do
			    if fields[i] == 'ts' and tonumber(fields[i + 1]) >= tonumber(ARGV[1]) then
			      keep = entry[1]
			    end
			  end
			  if keep then break end
			end
			if keep then
			  return redis.call('XTRIM', KEYS[1], 'MINID', keep)
			elseif #entries > 0 then
			  local last = tonumber(string.match(entries[#entries][1], '^(%d+)'))
			  return redis.call('XTRIM', KEYS[1], 'MINID', (last + 1) .. '-0')
			end
			return 0
			""");

	private static final byte[] TRUE = utf8("1");

	private static final byte[] FALSE = utf8("0");

	private static final byte[] TRIM_BATCH = utf8("1000");

	private static final Duration TRIM_INTERVAL = Duration.ofSeconds(1);

	/** The most entries one page read fetches, so a page of large events stays bounded. */
	static final int PAGE_ENTRIES = 100;


	private final RedisConnectionFactory connectionFactory;

	private final RedisStreamKeys keys;

	private final byte[] maxLength;

	private final Duration maxAge;

	private final Clock clock;

	private volatile long lastTrimMillis;

	/**
	 * Create the store.
	 * @param connectionFactory connects to Redis
	 * @param keys the stream and generation keys
	 * @param maxLength the most events kept (approximately; Redis trims whole nodes)
	 * @param maxAge how long an event is kept
	 * @param clock the clock that schedules age trimming
	 */
	public RedisStreamSseEventStore(RedisConnectionFactory connectionFactory, RedisStreamKeys keys, long maxLength,
			Duration maxAge, Clock clock) {
		this.connectionFactory = connectionFactory;
		this.keys = keys;
		this.maxLength = utf8(Long.toString(maxLength));
		this.maxAge = maxAge;
		this.clock = clock;
	}

	/**
	 * A new random generation, offered with every script call: it becomes the generation
	 * only when Redis has none. A fresh one each time, so that even the node that started
	 * the lost generation cannot start the next one with the same value.
	 */
	private static byte[] candidateGeneration() {
		return utf8(Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36));
	}

	@Override
	public StoredEvent append(OutgoingEvent event) {
		byte[] topics = utf8(String.join("\n", event.topics()));
		List<?> result = execute((connection) -> eval(connection, APPEND, ReturnType.MULTI, 2, this.keys.stream(),
				this.keys.generation(), candidateGeneration(), this.maxLength, topics, event.broadcast() ? TRUE : FALSE,
				event.encoded().body()));
		String id = new RedisEventId(string(result.get(0)), number(result.get(1))).toString();
		return new StoredEvent(id, event.topics(), event.broadcast(), event.encoded().withId(id),
				number(result.get(2)));
	}

	@Override
	public String latestId() {
		try {
			return execute(this::position).latest().toString();
		}
		catch (SseBackplaneException ex) {
			logger.warn("Redis is unavailable at start; SSE events will flow once it is reachable", ex);
			return new RedisEventId(string(candidateGeneration()), 0).toString();
		}
	}

	@Override
	public HistoryPage read(String afterId, String upToId, Predicate<StoredEvent> filter, int maxEvents,
			long maxBytes) {
		RedisEventId after = RedisEventId.parse(afterId);
		RedisEventId upTo = RedisEventId.parse(upToId);
		if (after == null) {
			return HistoryPage.reset(HistoryPage.Reset.UNKNOWN, upToId);
		}
		if (upTo == null) {
			return HistoryPage.reset(HistoryPage.Reset.UNAVAILABLE, upToId);
		}
		if (!after.generation().equals(upTo.generation())) {
			return HistoryPage.reset(HistoryPage.Reset.UNKNOWN, upToId);
		}
		return execute((connection) -> {
			long first = after.sequence() + 1;
			if (first > upTo.sequence()) {
				return isKnown(connection, after) ? HistoryPage.of(List.of(), afterId, true)
						: HistoryPage.reset(HistoryPage.Reset.UNKNOWN, upToId);
			}
			long count = Math.min(Math.min(maxEvents, PAGE_ENTRIES), upTo.sequence() - after.sequence());
			List<ByteRecord> entries = connection.streamCommands()
				.xRange(this.keys.stream(),
						Range.closed(RedisEventId.streamId(first), RedisEventId.streamId(upTo.sequence())),
						Limit.limit().count((int) count));
			// Sequences are dense: the page is exact only if it starts right after the stream's
			// position, in the stream's generation (checked on every page, so a trim between
			// two pages, or between a position check and a read, is never missed).
			List<StoredEvent> events = new ArrayList<>();
			long expected = first;
			long bytes = 0;
			for (ByteRecord entry : entries) {
				StoredEvent event = toStoredEvent(entry);
				RedisEventId id = RedisEventId.parse(event.id());
				if (id == null || !id.generation().equals(after.generation()) || id.sequence() != expected) {
					break;
				}
				expected++;
				if (filter.test(event)) {
					events.add(event);
					bytes += event.frame().size();
					if (events.size() >= maxEvents || bytes >= maxBytes) {
						break;
					}
				}
			}
			long reached = expected - 1;
			if (reached < first) {
				return HistoryPage.reset(isKnown(connection, after) ? HistoryPage.Reset.EXPIRED
						: HistoryPage.Reset.UNKNOWN, upToId);
			}
			return HistoryPage.of(events, new RedisEventId(after.generation(), reached).toString(),
					reached == upTo.sequence());
		});
	}

	/** Whether the id belongs to the stream's current generation and is not beyond its last sequence. */
	private boolean isKnown(RedisConnection connection, RedisEventId id) {
		Position position = position(connection);
		return position.generation().equals(id.generation()) && id.sequence() <= position.last();
	}

	@Override
	public void evictExpired() {
		long now = this.clock.millis();
		if (now - this.lastTrimMillis < TRIM_INTERVAL.toMillis()) {
			return;
		}
		this.lastTrimMillis = now;
		byte[] cutoff = utf8(Long.toString(now - this.maxAge.toMillis()));
		try {
			execute((connection) -> eval(connection, TRIM_BY_AGE, ReturnType.INTEGER, 1, this.keys.stream(), cutoff,
					TRIM_BATCH));
		}
		catch (SseBackplaneException ex) {
			logger.debug("Could not trim the SSE stream by age", ex);
		}
	}

	/**
	 * The stream's current generation (started if there is none).
	 * @return the generation
	 * @throws SseBackplaneException if Redis cannot be reached
	 */
	String generation() {
		return execute(this::position).generation();
	}

	private Position position(RedisConnection connection) {
		List<?> result = eval(connection, POSITION, ReturnType.MULTI, 2, this.keys.stream(), this.keys.generation(),
				candidateGeneration());
		return new Position(string(result.get(0)), number(result.get(1)), number(result.get(2)));
	}

	/**
	 * Where the stream stands.
	 *
	 * @param generation the current generation
	 * @param last the last sequence assigned
	 * @param first the first sequence still in the stream, or 0 if it is empty
	 */
	private record Position(String generation, long last, long first) {

		RedisEventId latest() {
			return new RedisEventId(this.generation, this.last);
		}

	}

	/**
	 * Turn a stream entry into an event; its frame's time is its arrival on this node.
	 * @param entry the entry
	 * @return the event
	 */
	StoredEvent toStoredEvent(ByteRecord entry) {
		Map<String, byte[]> fields = new HashMap<>();
		entry.getValue().forEach((name, value) -> fields.put(string(name), value));
		byte[] generation = fields.get("g");
		byte[] topics = fields.get("t");
		byte[] body = fields.get("d");
		if (generation == null || topics == null || body == null || !fields.containsKey("b")
				|| !fields.containsKey("ts")) {
			throw new IllegalStateException("Stream entry " + entry.getId() + " is not an SSE event");
		}
		String id = new RedisEventId(string(generation), RedisEventId.sequenceOf(entry.getId().getValue())).toString();
		boolean everyone = Arrays.equals(fields.get("b"), TRUE);
		Set<String> names = everyone ? Set.of() : new LinkedHashSet<>(Arrays.asList(string(topics).split("\n")));
		return new StoredEvent(id, names, everyone, new EncodedEvent(body).withId(id), number(fields.get("ts")));
	}

	/**
	 * Run a script by its SHA-1 ({@code EVALSHA}), sending the whole script ({@code EVAL})
	 * only when Redis does not have it cached yet.
	 */
	private static <T> T eval(RedisConnection connection, Script script, ReturnType type, int keys, byte[]... args) {
		try {
			return connection.scriptingCommands().evalSha(script.sha1(), type, keys, args);
		}
		catch (DataAccessException ex) {
			if (!String.valueOf(ex.getMostSpecificCause().getMessage()).contains("NOSCRIPT")) {
				throw ex;
			}
			return connection.scriptingCommands().eval(script.text(), type, keys, args);
		}
	}

	/** A Lua script and its SHA-1. */
	private record Script(byte[] text, String sha1) {

		static Script of(String text) {
			byte[] bytes = utf8(text);
			try {
				return new Script(bytes, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes)));
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

	/**
	 * Run commands on a connection, translating Redis failures.
	 * @throws SseBackplaneException if Redis cannot be reached or fails
	 */
	<T> T execute(Function<RedisConnection, T> commands) {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			return commands.apply(connection);
		}
		catch (DataAccessException ex) {
			throw new SseBackplaneException("Redis is unavailable: " + ex.getMostSpecificCause().getMessage(), ex);
		}
	}

	/**
	 * The keys this store uses.
	 * @return the keys
	 */
	public RedisStreamKeys keys() {
		return this.keys;
	}

	private static long number(@Nullable Object value) {
		return (value instanceof Number number) ? number.longValue() : Long.parseLong(string(value));
	}

	static String string(@Nullable Object value) {
		if (value instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		return String.valueOf(value);
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
