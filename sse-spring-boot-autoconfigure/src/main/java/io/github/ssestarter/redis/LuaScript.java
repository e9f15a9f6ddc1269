package io.github.ssestarter.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Function;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;

import io.github.ssestarter.backplane.SseBackplaneException;

/**
 * A Lua script run by its SHA-1, sent in full only when Redis does not know it yet; and
 * how the Redis classes call Redis.
 *
 * @param text the script
 * @param sha1 its SHA-1
 */
record LuaScript(byte[] text, String sha1) {

	static LuaScript of(String text) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		try {
			return new LuaScript(bytes, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Run commands on a connection of the factory, translating Redis failures.
	 * @throws SseBackplaneException if Redis cannot be reached or fails
	 */
	static <T> T call(RedisConnectionFactory connectionFactory, Function<RedisConnection, T> commands) {
		try (RedisConnection connection = connectionFactory.getConnection()) {
			return commands.apply(connection);
		}
		catch (DataAccessException ex) {
			throw new SseBackplaneException((refused(ex) ? "Redis refused the command: " : "Redis is unavailable: ")
					+ ex.getMostSpecificCause().getMessage(), ex);
		}
	}

	/**
	 * Whether Redis answered with an error (out of memory, read-only replica, ...), as
	 * opposed to not answering: it is reachable, and refuses.
	 * @param failure the failure
	 * @return {@code true} for an error reply
	 */
	static boolean refused(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			String name = cause.getClass().getName();
			if (name.equals("io.lettuce.core.RedisCommandExecutionException")
					|| name.equals("redis.clients.jedis.exceptions.JedisDataException")) {
				return true;
			}
		}
		return false;
	}

	<T> T run(RedisConnection connection, ReturnType type, int keys, byte[]... args) {
		try {
			return connection.scriptingCommands().evalSha(this.sha1, type, keys, args);
		}
		catch (DataAccessException ex) {
			if (!String.valueOf(ex.getMostSpecificCause().getMessage()).contains("NOSCRIPT")) {
				throw ex;
			}
			return connection.scriptingCommands().eval(this.text, type, keys, args);
		}
	}

}
