package io.github.ssestarter.redis;

import org.jspecify.annotations.Nullable;

/**
 * An event id of the Redis store: {@code <generation>-<sequence>}. The sequence is dense
 * (1, 2, 3, …) and is also the stream entry's id ({@code <sequence>-0}), so whether the
 * events after an id are all still in the stream is a comparison with the first entry.
 * The generation changes when the stream's data is lost (a Redis restart without
 * persistence), so an id from before is recognisably foreign.
 *
 * @param generation the stream generation
 * @param sequence the position in the stream
 */
record RedisEventId(String generation, long sequence) {

	/**
	 * Parse an id.
	 * @param id the id
	 * @return the parsed id, or {@code null} if it is not shaped like one of this store's
	 */
	static @Nullable RedisEventId parse(String id) {
		int dash = id.lastIndexOf('-');
		if (dash <= 0 || dash == id.length() - 1 || id.length() - dash > 19) {
			return null;
		}
		long sequence = 0;
		for (int i = dash + 1; i < id.length(); i++) {
			char c = id.charAt(i);
			if (c < '0' || c > '9') {
				return null;
			}
			sequence = sequence * 10 + (c - '0');
		}
		return new RedisEventId(id.substring(0, dash), sequence);
	}

	/** The stream entry id of a sequence number. */
	static String streamId(long sequence) {
		return sequence + "-0";
	}

	@Override
	public String toString() {
		return this.generation + "-" + this.sequence;
	}

}
