package io.github.ssestarter.store;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One page of the history read for a stream: the events it missed after a position, in
 * order, bounded by count and bytes; or a reset when the history cannot say what it
 * missed. A stream reads page after page, each after the previous page's {@link #next()},
 * until a page is {@link #complete()}.
 *
 * @param events the events on this page that the stream receives, oldest first (empty on reset)
 * @param next the position this page reached: the id of the last event read (matching the
 * filter or not); the next page is read after it
 * @param complete whether {@code next} is the requested end of the range: nothing is left
 * @param reset why the stream must reset, or {@code null} when the page is exact; on a
 * reset that is not {@code complete}, the stream resets to {@code next} and reads on from
 * there
 * @since 0.2.0
 */
public record HistoryPage(List<StoredEvent> events, String next, boolean complete, @Nullable Reset reset) {

	/**
	 * An exact page.
	 * @param events the events read that the stream receives, oldest first
	 * @param next the id of the last event read
	 * @param complete whether {@code next} is the end of the requested range
	 * @return the page
	 */
	public static HistoryPage of(List<StoredEvent> events, String next, boolean complete) {
		return new HistoryPage(List.copyOf(events), next, complete, null);
	}

	/**
	 * A reset: the events after the requested position are not all in the history.
	 * @param reason why
	 * @param upToId the end of the requested range (where the stream resumes after the reset)
	 * @return the page
	 */
	public static HistoryPage reset(Reset reason, String upToId) {
		return new HistoryPage(List.of(), upToId, true, reason);
	}

	/**
	 * A reset part of the way: the events between the requested position and
	 * {@code resumeAfter} are not in the history, the rest of the range is. For example, the
	 * id is of an earlier generation: what it was followed by is lost, but the client has
	 * none of the current generation, which is read from its start.
	 * @param reason why
	 * @param resumeAfter where the stream resumes after the reset, and reads on from
	 * @return the page
	 * @since 0.3.0
	 */
	public static HistoryPage resetThenReadFrom(Reset reason, String resumeAfter) {
		return new HistoryPage(List.of(), resumeAfter, false, reason);
	}

	/**
	 * Why a stream cannot be given exactly what it missed.
	 */
	public enum Reset {

		/** The id was never issued by this history (another server, a restart, or made up). */
		UNKNOWN,

		/** Events after the id have already left the history (too old, too many or too large since). */
		EXPIRED,

		/** The history could not be read (for example, its store is down). */
		UNAVAILABLE,

		/**
		 * The id is real but later than what this node has delivered: the node is behind the
		 * one the client came from and cannot join it to the live flow without repeating
		 * events; the stream ends and the client reconnects (not a reset).
		 */
		BEHIND

	}

}
