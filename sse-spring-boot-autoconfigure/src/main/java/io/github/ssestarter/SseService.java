package io.github.ssestarter;

import java.util.Collection;
import java.util.List;

import io.github.ssestarter.web.SseStream;

/**
 * Publish Server-Sent Events to the clients connected to this application (and, with a
 * backplane, to every node), and manage their streams. Inject it anywhere.
 * <p>
 * Topics are the routing primitive: a client receives an event when it is subscribed to
 * at least one of the event's topics, and receives it once even if it matches several.
 * Every stream is also subscribed to reserved topics assigned by the server:
 * {@code client:<clientId>}, {@code user:<userId>} for an authenticated user and
 * {@code session:<sessionId>} when the request has an HTTP session.
 * <p>
 * Publishing never blocks on a client and never fails because a client went away: each
 * event is encoded once, stored in the replay history (which assigns its id) and queued
 * for each recipient; a client that cannot keep up loses events according to the
 * configured overflow policy, and every loss is counted.
 * <p>
 * With a distributed backplane (Redis), publishing fails with
 * {@link io.github.ssestarter.backplane.SseBackplaneException} when the event cannot be
 * stored in time. Such a failure is an unknown outcome: a store that stalled past the
 * timeout may still keep the event and deliver it. Retrying may therefore deliver an event
 * twice under two ids; give events that must not be applied twice a key of your own.
 *
 * @since 0.1.0
 */
public interface SseService {

	/**
	 * Publish an event to the subscribers of one topic.
	 * @param topic the topic
	 * @param event the event
	 * @return the id assigned to the event
	 * @throws IllegalArgumentException if the topic is invalid or the encoded event exceeds
	 * {@code sse.max-event-size}
	 */
	String publish(String topic, SseEvent event);

	/**
	 * Publish an event to the subscribers of any of the topics; a client subscribed to
	 * several of them receives it once.
	 * @param topics one or more topics
	 * @param event the event
	 * @return the id assigned to the event
	 * @throws IllegalArgumentException if there is no topic, a topic is invalid, or the
	 * encoded event exceeds {@code sse.max-event-size}
	 */
	String publish(Collection<String> topics, SseEvent event);

	/**
	 * Publish an event to every stream of a user (topic {@code user:<userId>}).
	 * @param userId the user id, as resolved from the principal
	 * @param event the event
	 * @return the id assigned to the event
	 */
	String sendToUser(String userId, SseEvent event);

	/**
	 * Publish an event to the streams opened within an HTTP session (topic {@code session:<sessionId>}).
	 * @param sessionId the HTTP session id
	 * @param event the event
	 * @return the id assigned to the event
	 */
	String sendToSession(String sessionId, SseEvent event);

	/**
	 * Publish an event to one stream (topic {@code client:<clientId>}); the client id is
	 * sent to the client in the {@code sse.connected} event.
	 * @param clientId the client id
	 * @param event the event
	 * @return the id assigned to the event
	 */
	String sendToClient(String clientId, SseEvent event);

	/**
	 * Publish an event to every connected client.
	 * @param event the event
	 * @return the id assigned to the event
	 */
	String broadcast(SseEvent event);

	/**
	 * A stream for a controller to return, subscribed to the topics the controller chose
	 * after its own checks (plus the request's own {@code user:}, {@code session:} and
	 * {@code client:} topics). Return it where Spring MVC accepts an {@code SseEmitter}:
	 * <pre>{@code
	 * @GetMapping("/orders/{id}/events")
	 * SseEmitter orderEvents(@PathVariable long id) {
	 *     orders.checkOwnedByCurrentUser(id); // 404 / 403 as the application decides
	 *     return sse.stream("order:" + id);
	 * }
	 * }</pre>
	 * @param topics the topics; reserved topics are refused (403) unless they are the
	 * requesting user's or session's own
	 * @return the stream, opened when the controller method returns it; it starts at the
	 * current {@link #position()}, so what is published while the controller runs reaches
	 * it too (read from the history when it opens)
	 * @throws IllegalArgumentException if a topic is invalid
	 * @since 0.3.0
	 * @see SseStream
	 */
	default SseStream stream(Collection<String> topics) {
		return new SseStream(topics, position());
	}

	/**
	 * A stream for a controller to return; see {@link #stream(Collection)}.
	 * @param topics the topics
	 * @return the stream
	 * @throws IllegalArgumentException if a topic is invalid
	 * @since 0.3.0
	 */
	default SseStream stream(String... topics) {
		return stream(List.of(topics));
	}

	/**
	 * The current position in the event flow: the id of the newest event this node has
	 * delivered. A stream that resumes after it ({@code Last-Event-ID} or
	 * {@code ?lastEventId=}) receives exactly what is published from now on, on any node
	 * (with a distributed backplane the ids are the same everywhere): a page that renders
	 * its state from a REST call returns this with the data, then opens its stream after it,
	 * and misses nothing published in between.
	 * @return the id of the newest event delivered on this node
	 * @since 0.3.0
	 */
	String position();

	/**
	 * Whether the user has at least one open stream: on any node with a distributed
	 * backplane (Redis), on this node otherwise. Debounced like {@link #presence}: a user
	 * whose last stream closed is still online for {@code sse.presence.leave-delay}.
	 * @param userId the user id
	 * @return {@code true} if the user is connected
	 * @throws io.github.ssestarter.backplane.SseBackplaneException if the distributed
	 * backplane cannot be asked (and the user has no stream on this node)
	 */
	boolean isUserOnline(String userId);

	/**
	 * Who is subscribed to a topic: how many streams, and which users (at most
	 * {@code sse.presence.max-users}); on every node with a distributed backplane (Redis),
	 * on this node otherwise. A stream that closed still counts for
	 * {@code sse.presence.leave-delay}, so a reloading page does not flicker.
	 * @param topic the topic
	 * @return the presence
	 * @throws IllegalArgumentException if the topic is invalid
	 * @throws io.github.ssestarter.backplane.SseBackplaneException if the distributed
	 * backplane cannot be asked
	 * @since 0.3.0
	 */
	SsePresence presence(String topic);

	/**
	 * Close every stream of a user on this node. Queued events are discarded.
	 * @param userId the user id
	 * @return how many streams were closed
	 */
	int disconnectUser(String userId);

	/**
	 * Close one stream on this node. Queued events are discarded.
	 * @param clientId the client id
	 * @return {@code true} if the stream was open
	 */
	boolean disconnectClient(String clientId);

	/**
	 * A snapshot of this node's connections and event counters.
	 * @return the statistics
	 */
	SseStats stats();

}
