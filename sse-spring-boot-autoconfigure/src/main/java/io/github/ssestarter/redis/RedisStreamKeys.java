package io.github.ssestarter.redis;

import java.nio.charset.StandardCharsets;

/**
 * The Redis keys of one deployment. Both share a hash tag, so they live in the same
 * slot of a Redis Cluster and the publish script may touch both.
 *
 * @param stream the stream holding every event
 * @param generation the key holding the stream's generation (see {@link RedisStreamSseEventStore})
 * @since 0.1.0
 */
public record RedisStreamKeys(byte[] stream, byte[] generation) {

	/**
	 * The keys for a prefix: {@code {prefix}:events} and {@code {prefix}:generation}.
	 * @param prefix the key prefix ({@code sse.backplane.redis.key-prefix})
	 * @return the keys
	 */
	public static RedisStreamKeys of(String prefix) {
		return new RedisStreamKeys(("{" + prefix + "}:events").getBytes(StandardCharsets.UTF_8),
				("{" + prefix + "}:generation").getBytes(StandardCharsets.UTF_8));
	}

}
