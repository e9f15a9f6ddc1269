package io.github.ssestarter.redis;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.stream.ByteRecord;

/**
 * One entry of the Redis Stream as read, before it is known to be one of the store's
 * events (the stream may hold entries written by someone else).
 *
 * @param id the stream id ({@code <sequence>-0} for the store's entries)
 * @param fields the entry's fields
 */
record RedisStreamEntry(String id, Map<String, byte[]> fields) {

	/** An entry read with {@code XREAD}. */
	static RedisStreamEntry of(ByteRecord record) {
		Map<String, byte[]> fields = new HashMap<>();
		record.getValue().forEach((name, value) -> fields.put(string(name), value));
		return new RedisStreamEntry(record.getId().getValue(), fields);
	}

	/** An entry returned by a script: {@code [id, [name, value, ...]]}. */
	static RedisStreamEntry of(Object raw) {
		List<?> entry = (List<?>) raw;
		List<?> values = (List<?>) entry.get(1);
		Map<String, byte[]> fields = new HashMap<>();
		for (int i = 0; i + 1 < values.size(); i += 2) {
			fields.put(string(values.get(i)), (byte[]) values.get(i + 1));
		}
		return new RedisStreamEntry(string(entry.get(0)), fields);
	}

	/**
	 * The sequence of one of the store's entries.
	 * @return the sequence, or -1 if the id is not shaped {@code <sequence>-0}
	 */
	long sequence() {
		int dash = this.id.indexOf('-');
		if (dash <= 0 || dash > 18 || !this.id.substring(dash).equals("-0")) {
			return -1;
		}
		long sequence = 0;
		for (int i = 0; i < dash; i++) {
			char c = this.id.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			sequence = sequence * 10 + (c - '0');
		}
		return sequence;
	}

	@Nullable byte[] field(String name) {
		return this.fields.get(name);
	}

	/** The generation the entry says it belongs to, or {@code null}. */
	@Nullable String generation() {
		byte[] generation = this.fields.get("g");
		return (generation != null) ? new String(generation, StandardCharsets.UTF_8) : null;
	}

	private static String string(Object value) {
		return (value instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
	}

}
