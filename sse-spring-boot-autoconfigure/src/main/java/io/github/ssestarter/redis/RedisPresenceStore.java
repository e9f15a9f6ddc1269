package io.github.ssestarter.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;

import io.github.ssestarter.SsePresence;
import io.github.ssestarter.presence.NodePresence;
import io.github.ssestarter.presence.PresenceChange;
import io.github.ssestarter.presence.PresenceTransition;
import io.github.ssestarter.presence.SsePresenceStore;

/**
 * Presence of every node in Redis. Each node keeps its own hashes, under the deployment's
 * hash tag ({@code {prefix}:presence:n:<node>:t} streams per topic, {@code …:u} streams per
 * user, {@code …:t:<topic>} each user's streams on the topic) and a sorted set
 * ({@code {prefix}:presence:nodes}) holds when each node's presence expires, by Redis's
 * clock. Queries read only nodes that have not expired, so a node that dies drops out
 * after the time to live; the first node to notice deletes its hashes. Each operation is
 * one script, so joins and leaves are decided once for the whole cluster.
 *
 * @since 0.3.0
 */
public final class RedisPresenceStore implements SsePresenceStore {

	private static final String COMMON = """
			local t = redis.call('TIME')
			local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
			local base = ARGV[1] .. ':n:'
			local function drop(n)
			  for _, topic in ipairs(redis.call('HKEYS', base .. n .. ':t')) do
			    redis.call('DEL', base .. n .. ':t:' .. topic)
			  end
			  redis.call('DEL', base .. n .. ':t', base .. n .. ':u')
			  redis.call('ZREM', KEYS[1], n)
			end
			local function alive()
			  local score = redis.call('ZSCORE', KEYS[1], ARGV[2])
			  return score and tonumber(score) >= now
			end
			local function live()
			  return redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf')
			end
			""";

	/**
	 * Keeps this node alive and removes (a few) expired nodes; returns {1 (0 when this node
	 * had expired), then topic and user of each pair that had a stream only on the removed
	 * nodes}.
	 */
	private static final LuaScript HEARTBEAT = LuaScript.of(COMMON + """
			local out = {1}
			for _, n in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. now, 'LIMIT', 0, 2)) do
			  if n ~= ARGV[2] then
			    redis.call('ZREM', KEYS[1], n)
			    local nodes = live()
			    for _, topic in ipairs(redis.call('HKEYS', base .. n .. ':t')) do
			      for _, user in ipairs(redis.call('HKEYS', base .. n .. ':t:' .. topic)) do
			        local elsewhere = 0
			        for _, m in ipairs(nodes) do
			          elsewhere = elsewhere + (tonumber(redis.call('HGET', base .. m .. ':t:' .. topic, user)) or 0)
			        end
			        if elsewhere == 0 then
			          out[#out + 1] = topic; out[#out + 1] = user
			        end
			      end
			    end
			    drop(n)
			  end
			end
			if not alive() then
			  out[1] = 0
			  return out
			end
			redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
			return out
			""");

	/** Replaces this node's presence with ARGV[4..]: (kind, topic, user, count) each. */
	private static final LuaScript REPLACE = LuaScript.of(COMMON + """
			drop(ARGV[2])
			local mine = base .. ARGV[2]
			for i = 4, #ARGV, 4 do
			  local kind, topic, user, count = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
			  if kind == 't' then redis.call('HSET', mine .. ':t', topic, count)
			  elseif kind == 'u' then redis.call('HSET', mine .. ':u', user, count)
			  else redis.call('HSET', mine .. ':t:' .. topic, user, count) end
			end
			redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
			return 1
			""");

	/**
	 * Applies ARGV[4..]: (kind, topic, user, delta, announced) each; returns {1, then kind,
	 * topic, user of each join ('j') and leave ('l') over the whole cluster}, or {0} when
	 * this node had expired (nothing applied).
	 */
	private static final LuaScript APPLY = LuaScript.of(COMMON + """
			if not alive() then return {0} end
			redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
			local mine = base .. ARGV[2]
			local nodes = live()
			local function incr(key, field, delta)
			  if redis.call('HINCRBY', key, field, delta) <= 0 then redis.call('HDEL', key, field) end
			end
			local function everywhere(topic, user)
			  local sum = 0
			  for _, n in ipairs(nodes) do
			    sum = sum + (tonumber(redis.call('HGET', base .. n .. ':t:' .. topic, user)) or 0)
			  end
			  return sum
			end
			local out = {1}
			for i = 4, #ARGV, 5 do
			  local kind, topic, user, delta = ARGV[i], ARGV[i + 1], ARGV[i + 2], tonumber(ARGV[i + 3])
			  local announced = ARGV[i + 4] == '1'
			  if kind == 'u' then
			    incr(mine .. ':u', user, delta)
			  else
			    incr(mine .. ':t', topic, delta)
			    if user ~= '' then
			      local before = announced and everywhere(topic, user) or 0
			      incr(mine .. ':t:' .. topic, user, delta)
			      if announced then
			        local after = everywhere(topic, user)
			        if before == 0 and after > 0 then
			          out[#out + 1] = 'j'; out[#out + 1] = topic; out[#out + 1] = user
			        elseif before > 0 and after == 0 then
			          out[#out + 1] = 'l'; out[#out + 1] = topic; out[#out + 1] = user
			        end
			      end
			    end
			  end
			end
			return out
			""");

	/** Returns {streams, all users listed (1/0), users...} of topic ARGV[2], at most ARGV[3] users. */
	private static final LuaScript PRESENCE = LuaScript.of(COMMON + """
			local max = tonumber(ARGV[3])
			local streams, count, complete, users = 0, 0, 1, {}
			for _, n in ipairs(live()) do
			  streams = streams + (tonumber(redis.call('HGET', base .. n .. ':t', ARGV[2])) or 0)
			  local cursor = '0'
			  repeat
			    local page = redis.call('HSCAN', base .. n .. ':t:' .. ARGV[2], cursor, 'COUNT', 100)
			    cursor = page[1]
			    for j = 1, #page[2], 2 do
			      local user = page[2][j]
			      if not users[user] then
			        if count == max then complete = 0; break end
			        users[user] = true
			        count = count + 1
			      end
			    end
			  until cursor == '0' or complete == 0
			end
			local out = {streams, complete}
			for user in pairs(users) do out[#out + 1] = user end
			return out
			""");

	/** 1 when user ARGV[2] has a stream on a live node. */
	private static final LuaScript USER_ONLINE = LuaScript.of(COMMON + """
			for _, n in ipairs(live()) do
			  if redis.call('HEXISTS', base .. n .. ':u', ARGV[2]) == 1 then return 1 end
			end
			return 0
			""");

	/**
	 * This node expires in ARGV[4] ms; another node's heartbeat then removes it and
	 * announces who left. Its hashes expire a minute later by themselves, in case no node
	 * is left to do so.
	 */
	private static final LuaScript LEAVE = LuaScript.of(COMMON + """
			if not alive() then return 0 end
			local linger = tonumber(ARGV[4])
			redis.call('ZADD', KEYS[1], now + linger, ARGV[2])
			local mine = base .. ARGV[2]
			for _, topic in ipairs(redis.call('HKEYS', mine .. ':t')) do
			  redis.call('PEXPIRE', mine .. ':t:' .. topic, linger + 60000)
			end
			redis.call('PEXPIRE', mine .. ':t', linger + 60000)
			redis.call('PEXPIRE', mine .. ':u', linger + 60000)
			return 1
			""");

	private final RedisConnectionFactory connectionFactory;

	private final byte[] nodes;

	private final byte[] prefix;

	private final byte[] node;

	private final byte[] timeToLive;

	/**
	 * Create the store.
	 * @param connectionFactory connects to Redis
	 * @param keyPrefix the deployment's key prefix ({@code sse.backplane.redis.key-prefix})
	 * @param node this node's name
	 * @param timeToLive how long this node's presence lasts without a heartbeat
	 */
	public RedisPresenceStore(RedisConnectionFactory connectionFactory, String keyPrefix, String node,
			Duration timeToLive) {
		this.connectionFactory = connectionFactory;
		String prefix = "{" + keyPrefix + "}:presence";
		this.prefix = utf8(prefix);
		this.nodes = utf8(prefix + ":nodes");
		this.node = utf8(node);
		this.timeToLive = utf8(Long.toString(timeToLive.toMillis()));
	}

	@Override
	public @Nullable List<PresenceTransition> apply(List<PresenceChange> changes) {
		List<byte[]> args = header(changes.size() * 5);
		for (PresenceChange change : changes) {
			args.add(utf8((change.topic() != null) ? "t" : "u"));
			args.add(utf8((change.topic() != null) ? change.topic() : ""));
			args.add(utf8((change.user() != null) ? change.user() : ""));
			args.add(utf8(Integer.toString(change.delta())));
			args.add(utf8(change.announced() ? "1" : "0"));
		}
		List<?> result = run(APPLY, ReturnType.MULTI, args);
		if (RedisStreamSseEventStore.number(result.get(0)) == 0) {
			return null;
		}
		List<PresenceTransition> transitions = new ArrayList<>();
		for (int i = 1; i + 2 < result.size(); i += 3) {
			transitions.add(new PresenceTransition(RedisStreamSseEventStore.string(result.get(i + 1)), RedisStreamSseEventStore.string(result.get(i + 2)),
					"j".equals(RedisStreamSseEventStore.string(result.get(i)))));
		}
		return transitions;
	}

	@Override
	public void replace(NodePresence presence) {
		List<byte[]> args = header(0);
		presence.topicStreams().forEach((topic, count) -> entry(args, "t", topic, "", count));
		presence.userStreams().forEach((user, count) -> entry(args, "u", "", user, count));
		presence.topicUsers()
			.forEach((topic, users) -> users.forEach((user, count) -> entry(args, "tu", topic, user, count)));
		run(REPLACE, ReturnType.INTEGER, args);
	}

	private static void entry(List<byte[]> args, String kind, String topic, String user, int count) {
		args.add(utf8(kind));
		args.add(utf8(topic));
		args.add(utf8(user));
		args.add(utf8(Integer.toString(count)));
	}

	@Override
	public @Nullable List<PresenceTransition> heartbeat() {
		List<?> result = run(HEARTBEAT, ReturnType.MULTI, header(0));
		List<PresenceTransition> leaves = new ArrayList<>();
		for (int i = 1; i + 1 < result.size(); i += 2) {
			leaves.add(new PresenceTransition(RedisStreamSseEventStore.string(result.get(i)),
					RedisStreamSseEventStore.string(result.get(i + 1)), false));
		}
		return (RedisStreamSseEventStore.number(result.get(0)) == 1) ? leaves : null;
	}

	@Override
	public SsePresence presence(String topic, int maxUsers) {
		List<byte[]> args = new ArrayList<>(List.of(this.nodes, this.prefix, utf8(topic),
				utf8(Integer.toString(maxUsers))));
		List<?> result = run(PRESENCE, ReturnType.MULTI, args);
		Set<String> users = new LinkedHashSet<>();
		for (int i = 2; i < result.size(); i++) {
			users.add(RedisStreamSseEventStore.string(result.get(i)));
		}
		return new SsePresence(topic, RedisStreamSseEventStore.number(result.get(0)), Collections.unmodifiableSet(users),
				RedisStreamSseEventStore.number(result.get(1)) == 1);
	}

	@Override
	public boolean isUserOnline(String userId) {
		List<byte[]> args = new ArrayList<>(List.of(this.nodes, this.prefix, utf8(userId)));
		return RedisStreamSseEventStore.number(run(USER_ONLINE, ReturnType.INTEGER, args)) == 1;
	}

	@Override
	public void leave(Duration linger) {
		List<byte[]> args = header(1);
		args.add(utf8(Long.toString(linger.toMillis())));
		run(LEAVE, ReturnType.INTEGER, args);
	}

	/** KEYS[1] (the nodes), then ARGV[1..3]: prefix, node, time to live. */
	private List<byte[]> header(int more) {
		List<byte[]> args = new ArrayList<>(4 + more);
		args.add(this.nodes);
		args.add(this.prefix);
		args.add(this.node);
		args.add(this.timeToLive);
		return args;
	}

	private <T> T run(LuaScript script, ReturnType type, List<byte[]> args) {
		byte[][] array = args.toArray(new byte[0][]);
		return LuaScript.call(this.connectionFactory, (connection) -> script.run(connection, type, 1, array));
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
