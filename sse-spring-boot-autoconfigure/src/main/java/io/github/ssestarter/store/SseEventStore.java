package io.github.ssestarter.store;

import java.util.function.Predicate;

/**
 * Assigns event ids and keeps the recent history that reconnecting clients are replayed
 * from. The default keeps it in memory, bounded by count and age ({@code sse.replay.*});
 * declare a bean of this type to replace it.
 * <p>
 * Ids must be increasing in publication order and must not contain CR, LF or NUL.
 * {@link #append} is called by the backplane in publication order, one call at a time;
 * {@link #readAfter} may be called concurrently with it from any thread.
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
	 * The retained events after {@code lastEventId}, up to and including {@code upToId},
	 * that match the filter, oldest first; or a reset when the events after
	 * {@code lastEventId} are not all retained or the id is unknown.
	 * @param lastEventId the last id the client saw
	 * @param upToId the newest id to include (the last event delivered live on this node
	 * before the client subscribed)
	 * @param filter which events the client receives
	 * @return the events or a reset
	 */
	ReplayResult readAfter(String lastEventId, String upToId, Predicate<StoredEvent> filter);

	/**
	 * Drop events older than the retention age. Called periodically; stores that expire
	 * events by themselves need not implement it.
	 */
	default void evictExpired() {
	}

}
