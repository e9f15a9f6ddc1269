package io.github.ssestarter.store;

import java.util.function.Predicate;

/**
 * Assigns event ids and keeps the recent history that streams are served from when they
 * resume ({@code Last-Event-ID}) or fall behind (catch-up). The default keeps it in
 * memory, bounded by count, bytes and age ({@code sse.replay.*}); declare a bean of this
 * type to replace it.
 * <p>
 * Ids must be increasing in publication order and must not contain CR, LF or NUL.
 * {@link #append} is called by the backplane in publication order, one call at a time;
 * {@link #read} may be called concurrently with it from any thread.
 *
 * @since 0.1.0
 */
public interface SseEventStore {

	/**
	 * Assign the next id to the event and retain it.
	 * @param event the event
	 * @return the stored event with its id and frame
	 */
	StoredEvent append(OutgoingEvent event);

	/**
	 * The id of the newest event appended, or a position before the first event when
	 * there is none yet; a client resuming from it receives every later event.
	 * @return the id
	 */
	String latestId();

	/**
	 * Read one page of the events after {@code afterId}, up to and including
	 * {@code upToId}, that match the filter, oldest first; or a reset when the events
	 * after {@code afterId} are not all retained or the id is unknown.
	 * <p>
	 * A page holds at most {@code maxEvents} events and stops after the event that
	 * reaches {@code maxBytes} (so it always holds at least one event when one is left).
	 * A store may also stop early after reading many events that do not match the
	 * filter; {@link HistoryPage#next()} says how far it read. A page that is not
	 * complete is never a reset for events beyond it: each page is checked on its own.
	 * @param afterId the last id the stream has (the client's {@code Last-Event-ID}, or
	 * the last event written to a stream that fell behind)
	 * @param upToId the newest id to include (the last event delivered live on this node
	 * before the stream joined the live flow)
	 * @param filter which events the stream receives
	 * @param maxEvents the most events on the page
	 * @param maxBytes the most frame bytes on the page (plus at most one event)
	 * @return the page
	 * @since 0.2.0
	 */
	HistoryPage read(String afterId, String upToId, Predicate<StoredEvent> filter, int maxEvents, long maxBytes);

	/**
	 * Whether {@link #read} is served from this JVM's memory without blocking. The engine
	 * then reads pages on the writer thread of the stream; otherwise it reads them on
	 * separate threads, so that a slow store never holds up writes to other streams.
	 * @return {@code true} for an in-memory store
	 * @since 0.2.0
	 */
	default boolean isLocal() {
		return false;
	}

	/**
	 * Drop events older than the retention age. Called periodically; stores that expire
	 * events by themselves need not implement it.
	 */
	default void evictExpired() {
	}

}
