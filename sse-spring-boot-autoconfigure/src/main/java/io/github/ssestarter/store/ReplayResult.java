package io.github.ssestarter.store;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What a reconnecting client gets from the history: the events it missed, in order, or a
 * reset when the history cannot say what it missed.
 *
 * @param events the missed events, oldest first (empty on reset)
 * @param reset why the client must reset, or {@code null} when {@code events} is exact
 * @since 0.1.0
 */
public record ReplayResult(List<StoredEvent> events, @Nullable Reset reset) {

	/**
	 * An exact replay.
	 * @param events the missed events, oldest first
	 * @return the result
	 */
	public static ReplayResult of(List<StoredEvent> events) {
		return new ReplayResult(List.copyOf(events), null);
	}

	/**
	 * A reset.
	 * @param reason why
	 * @return the result
	 */
	public static ReplayResult reset(Reset reason) {
		return new ReplayResult(List.of(), reason);
	}

	/**
	 * Why a client cannot be replayed exactly.
	 */
	public enum Reset {

		/** The id was never issued by this history (another server, a restart, or made up). */
		UNKNOWN("unknown"),

		/** Events after the id have already left the history (too old or too many since). */
		EXPIRED("expired"),

		/** The history could not be read (for example, its store is down). */
		UNAVAILABLE("unavailable");

		private final String value;

		Reset(String value) {
			this.value = value;
		}

		/**
		 * The reason as sent to clients in the {@code sse.reset} event.
		 * @return the wire value
		 */
		public String value() {
			return this.value;
		}

	}

}
