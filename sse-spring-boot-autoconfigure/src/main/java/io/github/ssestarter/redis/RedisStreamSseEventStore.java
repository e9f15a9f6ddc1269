package io.github.ssestarter.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.ClassUtils;

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

	/**
	 * Starts a new generation when the stream's continuity is not assured (dropping entries
	 * of the lost one): there is no generation (keys flushed or deleted, a restart without
	 * persistence); the generation was started on another Redis dataset history, told by the
	 * process ({@code run_id}: a restart, even from an RDB or AOF file that may be older than
	 * what nodes delivered) and by the replication id ({@code master_replid}: a failover to a
	 * replica, or a server that was resynchronised from another one and promoted again); or
	 * the stream holding its entries was deleted. A new replication id of the same process
	 * with no past ({@code master_replid2} cleared: Redis does that when a primary's first
	 * replica attaches, or one comes back after the backlog expired) changes no data and
	 * keeps the generation. Shared by the scripts, and run by every
	 * call: {@code INFO} is most of its cost, so it is asked once (both sections in one call
	 * on Redis 7 and later), and the hash is read once.
	 */
	private static final String ENSURE_GENERATION = """
			local info
			if redis.REDIS_VERSION_NUM then
			  info = redis.call('INFO', 'server', 'replication')
			else
			  info = redis.call('INFO', 'server') .. redis.call('INFO', 'replication')
			end
			local function field(name)
			  local at = string.find(info, name .. ':', 1, true)
			  return at and string.match(info, '^%x+', at + #name + 1) or ''
			end
			local process = field('run_id') .. ':'
			local origin = process .. field('master_replid')
			local state = redis.call('HMGET', KEYS[2], 'g', 'n', 'r', 'c')
			if state[3] and state[3] ~= origin and string.sub(state[3], 1, #process) == process
			    and field('master_replid2') == string.rep('0', 40) then
			  -- The same process gave itself a new replication id with no past (its first replica
			  -- attached, or one came back after the backlog expired): its data did not change.
			  redis.call('HSET', KEYS[2], 'r', origin)
			  state[3] = origin
			end
			local g = state[1]
			local n = tonumber(state[2]) or 0
			local previous = state[4] or ''
			local ended = ''
			local function restart()
			  if g then
			    ended = g
			  end
			  g = ARGV[1]
			  n = 0
			  previous = ''
			  redis.call('DEL', KEYS[1])
			  redis.call('HSET', KEYS[2], 'g', g, 'n', 0, 'r', origin, 'c', '')
			end
			if not g or state[3] ~= origin or (n > 0 and redis.call('EXISTS', KEYS[1]) == 0) then
			  restart()
			end
			""";

	/**
	 * Appends a batch of events (ARGV[6..]: topics, broadcast flag and body of each) with the
	 * next sequences, in order; returns {generation, first sequence, timestamp, the
	 * generation this call ended or ''}.
	 * <p>
	 * ARGV[3] and ARGV[4] are the generation and the highest sequence the appending node has
	 * seen in it: a counter below that means the keys were rolled back inside the same
	 * Redis process (a {@code RESTORE} from a backup, {@code DEBUG RELOAD}), which neither
	 * {@code run_id} nor the replication id shows, so the stream starts a new generation
	 * rather than issue those sequences again. ARGV[5] lists (comma-separated) generations
	 * the node has seen end: one of them back in Redis is a rollback too (the same backup
	 * restored twice). Each entry also carries the call's random
	 * token ({@code c}, ARGV[1]) and the previous entry's ({@code p}), so a reader that has
	 * the entry before sees when the stream no longer continues what it delivered (a
	 * rollback that no appending node noticed).
	 * <p>
	 * An entry that is not this store's with a higher id (written by someone else) would
	 * make every append fail: the stream then starts a new generation. The sequence counter
	 * moves only for entries that were added, so sequences stay dense.
	 */
	private static final LuaScript APPEND = LuaScript.of(ENSURE_GENERATION + """
			if (ARGV[3] == g and n < tonumber(ARGV[4]))
			    or (ARGV[5] ~= '' and string.find(',' .. ARGV[5] .. ',', ',' .. g .. ',', 1, true)) then
			  restart()
			end
			local t = redis.call('TIME')
			local ts = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
			local first = n + 1
			local function add(sequence, i, p)
			  return redis.pcall('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], sequence .. '-0', 'g', g, 'ts', ts,
			      'p', p, 'c', ARGV[1], 't', ARGV[i], 'b', ARGV[i + 1], 'd', ARGV[i + 2])
			end
			local added = add(first, 6, previous)
			if type(added) == 'table' and added.err and string.find(added.err, 'equal or smaller', 1, true) then
			  restart()
			  first = 1
			  added = add(first, 6, '')
			end
			if type(added) == 'table' and added.err then
			  return redis.error_reply(added.err)
			end
			n = first
			for i = 9, #ARGV, 3 do
			  added = add(n + 1, i, ARGV[1])
			  if type(added) == 'table' and added.err then
			    redis.call('HSET', KEYS[2], 'n', n, 'c', ARGV[1])
			    return redis.error_reply(added.err)
			  end
			  n = n + 1
			end
			redis.call('HSET', KEYS[2], 'n', n, 'c', ARGV[1])
			return {g, first, ts, ended}
			""");

	/**
	 * Returns {generation, last sequence, the generation this call ended or ''}. ARGV[2] and
	 * ARGV[3], when given, are the generation and the last sequence a reader has delivered: a
	 * counter below that in the same generation means ids are being issued again (Redis lost
	 * data in a way its ids did not show), so the stream starts a new generation; as it does
	 * when ARGV[4] is 1 (the reader found that the stream no longer continues what it
	 * delivered).
	 */
	private static final LuaScript POSITION = LuaScript.of(ENSURE_GENERATION + """
			if ARGV[2] and g == ARGV[2] and (ARGV[4] == '1' or n < tonumber(ARGV[3])) then
			  restart()
			end
			return {g, n, ended}
			""");

	/**
	 * Reads one page of the range ARGV[2]..ARGV[3] (sequences) of generation ARGV[1]:
	 * returns {known, reached, entries...}. {@code known} is 0 when the generation is not
	 * the stream's or the range starts beyond its last sequence. Entries are returned while
	 * their sequences are dense from ARGV[2], at most ARGV[4] of them and no more once their
	 * data reaches ARGV[5] bytes; {@code reached} is the last sequence returned (ARGV[2] - 1
	 * when the first is missing: trimmed). Entries whose ids are not this store's are
	 * skipped. The position check and the read are one script, so a trim cannot fall between
	 * them.
	 */
	private static final LuaScript READ = LuaScript.of("""
			local state = redis.call('HMGET', KEYS[2], 'g', 'n')
			local first = tonumber(ARGV[2])
			if state[1] ~= ARGV[1] or first - 1 > tonumber(state[2]) then
			  return {0, 0}
			end
			local result = {1, first - 1}
			if first > tonumber(ARGV[3]) then
			  return result
			end
			local entries = redis.call('XRANGE', KEYS[1], first .. '-0', ARGV[3] .. '-0', 'COUNT', ARGV[4])
			local bytes = 0
			for _, entry in ipairs(entries) do
			  local sequence = tonumber(string.match(entry[1], '^(%d+)-0$'))
			  if sequence then
			    if sequence ~= result[2] + 1 then
			      break
			    end
			    result[2] = sequence
			    result[#result + 1] = entry
			    local fields = entry[2]
			    for i = 1, #fields, 2 do
			      if fields[i] == 'd' then
			        bytes = bytes + #fields[i + 1]
			      end
			    end
			    if bytes >= tonumber(ARGV[5]) then
			      break
			    end
			  end
			end
			return result
			""");

	/**
	 * Trims entries older than ARGV[1] milliseconds by Redis's clock (the one that stamped
	 * them: a node whose clock runs ahead must not trim what is still young), reading at
	 * most ARGV[2] entries; returns how many.
	 */
	private static final LuaScript TRIM_BY_AGE = LuaScript.of("""
			local t = redis.call('TIME')
			local cutoff = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - tonumber(ARGV[1])
			local entries = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', ARGV[2])
			local keep = nil
			for _, entry in ipairs(entries) do
			  local fields = entry[2]
			  for i = 1, #fields, 2 do
			    if fields[i] == 'ts' and (tonumber(fields[i + 1]) or 0) >= cutoff then
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

	private static final byte[] EMPTY = new byte[0];

	private static final byte[] ZERO = utf8("0");

	private static final byte[] TRIM_BATCH = utf8("1000");

	private static final Duration TRIM_INTERVAL = Duration.ofSeconds(1);

	/** The most events appended in one script call (concurrent publishes are batched). */
	static final int APPEND_BATCH_EVENTS = 256;

	/** The most body bytes appended in one script call (plus at most one event). */
	static final long APPEND_BATCH_BYTES = 1024 * 1024;

	/** The most append batches in flight at once, pipelined on the shared connection. */
	static final int APPEND_IN_FLIGHT = 4;

	/** The most ended generations a node remembers. */
	private static final int MAX_ENDED_GENERATIONS = 16;

	/** The most entries one page read fetches, so a page of large events stays bounded. */
	static final int PAGE_ENTRIES = 100;


	private final RedisConnectionFactory connectionFactory;

	private final RedisStreamKeys keys;

	private final byte[] maxLength;

	private final Duration maxAge;

	private final Clock clock;

	private final BatchingAppender appender = new BatchingAppender(this::appendAll, APPEND_BATCH_EVENTS,
			APPEND_BATCH_BYTES, APPEND_IN_FLIGHT);

	private volatile long lastTrimMillis;

	/** The furthest this node has seen the stream go (appended or read), or {@code null}. */
	private volatile @Nullable RedisEventId seen;

	/** Generations this node has seen end, most recent last (a few: backups are not that old). */
	private final Set<String> ended = new LinkedHashSet<>();

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
		return this.appender.append(event);
	}

	/** Append a batch in one script call: the events get consecutive ids, in order. */
	private List<StoredEvent> appendAll(List<OutgoingEvent> events) {
		byte[][] args = new byte[5 + 3 * events.size()][];
		args[0] = candidateGeneration();
		args[1] = this.maxLength;
		RedisEventId known = this.seen;
		args[2] = (known != null) ? utf8(known.generation()) : EMPTY;
		args[3] = (known != null) ? utf8(Long.toString(known.sequence())) : ZERO;
		args[4] = utf8(String.join(",", endedGenerations()));
		for (int i = 0; i < events.size(); i++) {
			OutgoingEvent event = events.get(i);
			args[5 + 3 * i] = utf8(String.join("\n", event.topics()));
			args[6 + 3 * i] = event.broadcast() ? TRUE : FALSE;
			args[7 + 3 * i] = event.encoded().body();
		}
		List<?> result = execute((connection) -> APPEND.run(connection, ReturnType.MULTI, 2,
				keysAnd(this.keys.stream(), this.keys.generation(), args)));
		String generation = string(result.get(0));
		long first = number(result.get(1));
		long timestamp = number(result.get(2));
		endedBy(result, 3);
		observed(new RedisEventId(generation, first + events.size() - 1));
		List<StoredEvent> stored = new ArrayList<>(events.size());
		for (int i = 0; i < events.size(); i++) {
			OutgoingEvent event = events.get(i);
			String id = new RedisEventId(generation, first + i).toString();
			stored.add(new StoredEvent(id, event.topics(), event.broadcast(), event.encoded().withId(id), timestamp));
		}
		return stored;
	}

	private static byte[][] keysAnd(byte[] first, byte[] second, byte[][] args) {
		byte[][] all = new byte[args.length + 2][];
		all[0] = first;
		all[1] = second;
		System.arraycopy(args, 0, all, 2, args.length);
		return all;
	}

	@Override
	public String latestId() {
		try {
			return position().toString();
		}
		catch (SseBackplaneException ex) {
			logger.warn("Redis (" + describeServer() + ") is unavailable at start; SSE events will flow once it is "
					+ "reachable: " + ex.getMessage());
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
			// An id of an earlier generation: what followed it is lost, but the client has
			// none of the current generation, which it reads from its start if the history
			// still holds that (else one reset, to the end of the range, not two in a row).
			String start = new RedisEventId(upTo.generation(), 0).toString();
			if (read(start, upToId, filter, 1, maxBytes).reset() != null) {
				return HistoryPage.reset(HistoryPage.Reset.UNKNOWN, upToId);
			}
			return HistoryPage.resetThenReadFrom(HistoryPage.Reset.UNKNOWN, start);
		}
		if (after.sequence() == upTo.sequence()) {
			return HistoryPage.of(List.of(), afterId, true);
		}
		long first = after.sequence() + 1;
		long count = Math.max(1, Math.min(Math.min(maxEvents, PAGE_ENTRIES), upTo.sequence() - after.sequence()));
		List<?> result = execute((connection) -> READ.run(connection, ReturnType.MULTI, 2, this.keys.stream(),
				this.keys.generation(), utf8(after.generation()), utf8(Long.toString(first)),
				utf8(Long.toString(upTo.sequence())), utf8(Long.toString(count)), utf8(Long.toString(maxBytes))));
		if (number(result.get(0)) == 0) {
			return HistoryPage.reset(HistoryPage.Reset.UNKNOWN, upToId);
		}
		if (after.sequence() > upTo.sequence()) {
			// A real id this node has not delivered yet: it is behind the node the client came from.
			return HistoryPage.reset(HistoryPage.Reset.BEHIND, upToId);
		}
		long reached = number(result.get(1));
		if (reached < first) {
			return HistoryPage.reset(HistoryPage.Reset.EXPIRED, upToId);
		}
		List<StoredEvent> events = new ArrayList<>();
		for (Object raw : result.subList(2, result.size())) {
			StoredEvent event = toStoredEvent(RedisStreamEntry.of(raw));
			if (event != null && event.id().startsWith(after.generation() + "-") && filter.test(event)) {
				events.add(event);
			}
		}
		return HistoryPage.of(events, new RedisEventId(after.generation(), reached).toString(),
				reached == upTo.sequence());
	}

	@Override
	public void evictExpired() {
		long now = this.clock.millis();
		if (now - this.lastTrimMillis < TRIM_INTERVAL.toMillis()) {
			return;
		}
		this.lastTrimMillis = now;
		byte[] maxAgeMillis = utf8(Long.toString(this.maxAge.toMillis()));
		try {
			execute((connection) -> TRIM_BY_AGE.run(connection, ReturnType.INTEGER, 1, this.keys.stream(),
					maxAgeMillis, TRIM_BATCH));
		}
		catch (SseBackplaneException ex) {
			logger.debug("Could not trim the SSE stream by age", ex);
		}
	}

	/**
	 * Where the stream stands: its current generation (started if continuity is not
	 * assured, see {@code ENSURE_GENERATION}) and the last sequence assigned in it.
	 * @return the position
	 * @throws SseBackplaneException if Redis cannot be reached
	 */
	RedisEventId position() {
		return execute((connection) -> position(connection, null));
	}

	/**
	 * Where the stream stands, for a reader that has delivered up to {@code delivered}: if
	 * the stream's counter is below it in the same generation, a new generation starts.
	 * @param delivered the last event the reader delivered, or {@code null}
	 * @return the position
	 * @throws SseBackplaneException if Redis cannot be reached
	 */
	RedisEventId position(@Nullable RedisEventId delivered) {
		return execute((connection) -> position(connection, delivered));
	}

	private RedisEventId position(RedisConnection connection, @Nullable RedisEventId delivered) {
		List<?> result = (delivered != null)
				? POSITION.run(connection, ReturnType.MULTI, 2, this.keys.stream(), this.keys.generation(),
						candidateGeneration(), utf8(delivered.generation()), utf8(Long.toString(delivered.sequence())))
				: POSITION.run(connection, ReturnType.MULTI, 2, this.keys.stream(), this.keys.generation(),
						candidateGeneration());
		endedBy(result, 2);
		return new RedisEventId(string(result.get(0)), number(result.get(1)));
	}

	/**
	 * The stream no longer continues what a reader delivered in this generation (an entry's
	 * link to its predecessor does not match the entry delivered before it): start a new
	 * generation, unless another node already did.
	 * @param generation the generation the reader delivered
	 * @return the position after that
	 * @throws SseBackplaneException if Redis cannot be reached
	 */
	RedisEventId discontinued(String generation) {
		return execute((connection) -> {
			List<?> result = POSITION.run(connection, ReturnType.MULTI, 2, this.keys.stream(), this.keys.generation(),
					candidateGeneration(), utf8(generation), ZERO, TRUE);
			endedBy(result, 2);
			return new RedisEventId(string(result.get(0)), number(result.get(1)));
		});
	}

	/**
	 * This node has seen the stream reach this id (its reader delivered it, or it appended
	 * it): an append that finds the counter below it in the same generation starts a new
	 * one instead of issuing those sequences again.
	 * @param id the id
	 */
	synchronized void observed(RedisEventId id) {
		RedisEventId current = this.seen;
		if (current == null || !current.generation().equals(id.generation()) || current.sequence() < id.sequence()) {
			this.seen = id;
		}
	}

	/** A script reports the generation it ended (a new one started), if any, at this index of its result. */
	private void endedBy(List<?> result, int index) {
		if (result.size() > index) {
			String ended = string(result.get(index));
			if (!ended.isEmpty()) {
				generationEnded(ended);
			}
		}
	}

	/**
	 * Redis has moved on from this generation (a script started the next one, or a reader
	 * found Redis in another): should it ever be back, the keys were rolled back.
	 * @param generation the generation
	 */
	synchronized void generationEnded(String generation) {
		this.ended.add(generation);
		if (this.ended.size() > MAX_ENDED_GENERATIONS) {
			this.ended.remove(this.ended.iterator().next());
		}
	}

	/**
	 * Whether this node has seen the generation end: found in Redis again, the keys were
	 * rolled back to a backup taken before it ended.
	 * @param generation the generation
	 * @return {@code true} if it ended
	 */
	synchronized boolean hasEnded(String generation) {
		return this.ended.contains(generation);
	}

	private synchronized List<String> endedGenerations() {
		return List.copyOf(this.ended);
	}

	/**
	 * Turn a stream entry into an event; its frame's time is its arrival on this node.
	 * @param entry the entry
	 * @return the event, or {@code null} if the entry is not one of this store's events
	 */
	@Nullable StoredEvent toStoredEvent(RedisStreamEntry entry) {
		long sequence = entry.sequence();
		byte[] generation = entry.field("g");
		byte[] topics = entry.field("t");
		byte[] everyone = entry.field("b");
		byte[] body = entry.field("d");
		byte[] timestamp = entry.field("ts");
		if (sequence < 0 || generation == null || topics == null || everyone == null || body == null
				|| timestamp == null) {
			return null;
		}
		long millis;
		try {
			millis = Long.parseLong(string(timestamp));
		}
		catch (NumberFormatException ex) {
			return null;
		}
		String id = new RedisEventId(string(generation), sequence).toString();
		boolean broadcast = Arrays.equals(everyone, TRUE);
		Set<String> names = broadcast ? Set.of() : new LinkedHashSet<>(Arrays.asList(string(topics).split("\n")));
		return new StoredEvent(id, names, broadcast, new EncodedEvent(body).withId(id), millis);
	}

	/**
	 * Run commands on a connection, translating Redis failures.
	 * @throws SseBackplaneException if Redis cannot be reached or fails
	 */
	<T> T execute(Function<RedisConnection, T> commands) {
		return LuaScript.call(this.connectionFactory, commands);
	}

	/**
	 * Which Redis this store talks to, for log messages.
	 * @return {@code host:port}, or how the connection is configured
	 */
	String describeServer() {
		if (ClassUtils.isPresent("io.lettuce.core.RedisClient", null)
				&& this.connectionFactory instanceof LettuceConnectionFactory lettuce) {
			if (lettuce.getClusterConfiguration() != null) {
				return "cluster " + lettuce.getClusterConfiguration().getClusterNodes();
			}
			if (lettuce.isRedisSentinelAware() && lettuce.getSentinelConfiguration() != null
					&& lettuce.getSentinelConfiguration().getMaster() != null) {
				return "sentinel master " + lettuce.getSentinelConfiguration().getMaster().getName();
			}
			return lettuce.getHostName() + ":" + lettuce.getPort();
		}
		return this.connectionFactory.getClass().getSimpleName();
	}

	/**
	 * The keys this store uses.
	 * @return the keys
	 */
	public RedisStreamKeys keys() {
		return this.keys;
	}

	static long number(@Nullable Object value) {
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
