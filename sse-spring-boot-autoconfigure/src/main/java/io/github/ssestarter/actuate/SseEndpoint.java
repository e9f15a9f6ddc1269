package io.github.ssestarter.actuate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import io.github.ssestarter.SseTopics;
import io.github.ssestarter.engine.CloseReason;
import io.github.ssestarter.engine.DropReason;
import io.github.ssestarter.engine.ResetReason;
import io.github.ssestarter.engine.SseConnection;
import io.github.ssestarter.engine.SseCounters;
import io.github.ssestarter.engine.SseEngine;

/**
 * The {@code sse} Actuator endpoint: what is connected and what is struggling.
 * <ul>
 * <li>{@code GET /actuator/sse}: counts, the busiest topics by subscribers and the slowest
 * streams by queued bytes;</li>
 * <li>{@code GET /actuator/sse/{clientId}}: one stream;</li>
 * <li>{@code POST /actuator/sse} with {@code {"clientId":"…"}} or {@code {"userId":"…"}}:
 * close one stream or every stream of a user.</li>
 * </ul>
 * Session ids are never shown.
 *
 * @since 0.1.0
 */
@Endpoint(id = "sse")
public class SseEndpoint {

	/** How many topics and streams the summary lists. */
	static final int TOP = 10;

	private final SseEngine engine;

	/**
	 * Create the endpoint.
	 * @param engine the engine
	 */
	public SseEndpoint(SseEngine engine) {
		this.engine = engine;
	}

	/**
	 * The summary.
	 * @return counts, busiest topics and slowest streams
	 */
	@ReadOperation
	public Summary summary() {
		SseCounters counters = this.engine.counters();
		Map<String, Long> dropped = new LinkedHashMap<>();
		for (DropReason reason : DropReason.values()) {
			dropped.put(reason.tagValue(), counters.dropped(reason));
		}
		Map<String, Long> resets = new LinkedHashMap<>();
		for (ResetReason reason : ResetReason.values()) {
			resets.put(reason.value(), counters.resets(reason));
		}
		Map<String, Long> closed = new LinkedHashMap<>();
		for (CloseReason reason : CloseReason.values()) {
			closed.put(reason.tagValue(), counters.closed(reason));
		}
		return new Summary(this.engine.registry().connectionCount(), this.engine.registry().topicCount(),
				this.engine.registry().userCount(), this.engine.pendingBytes(), counters.published(),
				counters.delivered(), counters.replayed(), counters.caughtUp(), counters.catchUps(), resets, dropped,
				counters.opened(), closed, busiestTopics(), slowestConnections());
	}

	private List<TopicLoad> busiestTopics() {
		PriorityQueue<TopicLoad> top = new PriorityQueue<>(Comparator.comparingInt(TopicLoad::subscribers));
		for (String topic : this.engine.registry().topicNames()) {
			if (topic.startsWith(SseTopics.SESSION_PREFIX)) {
				continue;
			}
			top.add(new TopicLoad(topic, this.engine.registry().subscribers(topic).size()));
			if (top.size() > TOP) {
				top.poll();
			}
		}
		List<TopicLoad> sorted = new ArrayList<>(top);
		sorted.sort(Comparator.comparingInt(TopicLoad::subscribers).reversed().thenComparing(TopicLoad::topic));
		return sorted;
	}

	private List<ConnectionDescriptor> slowestConnections() {
		PriorityQueue<SseConnection> top = new PriorityQueue<>(Comparator.comparingLong(SseConnection::queuedBytes));
		for (SseConnection connection : this.engine.liveConnectionsView()) {
			if (connection.queuedBytes() == 0) {
				continue;
			}
			top.add(connection);
			if (top.size() > TOP) {
				top.poll();
			}
		}
		List<ConnectionDescriptor> sorted = new ArrayList<>();
		for (SseConnection connection : top) {
			sorted.add(ConnectionDescriptor.of(connection));
		}
		sorted.sort(Comparator.comparingLong(ConnectionDescriptor::queuedBytes).reversed());
		return sorted;
	}

	/**
	 * One stream.
	 * @param clientId the stream's client id
	 * @return its details, or {@code null} (404) if no such stream is open
	 */
	@ReadOperation
	public @Nullable ConnectionDescriptor connection(@Selector String clientId) {
		SseConnection connection = this.engine.registry().connection(clientId);
		return (connection != null) ? ConnectionDescriptor.of(connection) : null;
	}

	/**
	 * Close one stream ({@code clientId}) or every stream of a user ({@code userId}).
	 * @param clientId the stream to close
	 * @param userId the user whose streams to close
	 * @return how many streams were closed
	 */
	@WriteOperation
	public Map<String, Integer> disconnect(@Nullable String clientId, @Nullable String userId) {
		if ((clientId == null) == (userId == null)) {
			throw new InvalidEndpointRequestException("Give either clientId or userId, not both",
					"Give either clientId or userId");
		}
		int closed = (clientId != null) ? (this.engine.disconnectClient(clientId) ? 1 : 0)
				: this.engine.disconnectUser(userId);
		return Map.of("disconnected", closed);
	}

	/**
	 * The endpoint's summary.
	 *
	 * @param connections open streams
	 * @param topics topics with subscribers
	 * @param users users online
	 * @param pendingBytes bytes queued in all streams
	 * @param published events published through this node
	 * @param delivered live events written
	 * @param replayed events written from the history to clients that resumed
	 * @param caughtUp events written from the history to streams that had fallen behind
	 * @param catchUps times a stream fell behind and caught up from the history
	 * @param resets {@code sse.reset} events sent, by reason
	 * @param dropped events dropped, by reason
	 * @param opened streams opened
	 * @param closed streams closed, by reason
	 * @param busiestTopics the topics with the most subscribers
	 * @param slowestConnections the streams with the most bytes queued
	 */
	public record Summary(int connections, int topics, int users, long pendingBytes, long published, long delivered,
			long replayed, long caughtUp, long catchUps, Map<String, Long> resets, Map<String, Long> dropped,
			long opened, Map<String, Long> closed,
			List<TopicLoad> busiestTopics, List<ConnectionDescriptor> slowestConnections) {
	}

	/**
	 * A topic and its subscriber count.
	 *
	 * @param topic the topic
	 * @param subscribers streams subscribed to it
	 */
	public record TopicLoad(String topic, int subscribers) {
	}

	/**
	 * One stream, as shown to operators.
	 *
	 * @param clientId the client id
	 * @param userId the user, if authenticated
	 * @param topics the topics (session topics hidden)
	 * @param openedAt when it was opened
	 * @param queuedEvents frames waiting
	 * @param queuedBytes bytes waiting
	 * @param delivered events written, live and from the history
	 * @param dropped events discarded by a drop policy or queued when the stream closed
	 * @param state {@code open}, {@code catching-up}, or why it is closing
	 */
	public record ConnectionDescriptor(String clientId, @Nullable String userId, List<String> topics,
			Instant openedAt, int queuedEvents, long queuedBytes, long delivered, long dropped, String state) {

		static ConnectionDescriptor of(SseConnection connection) {
			List<String> topics = connection.topics()
				.stream()
				.filter((topic) -> !topic.startsWith(SseTopics.SESSION_PREFIX))
				.toList();
			CloseReason reason = connection.closeReason();
			return new ConnectionDescriptor(connection.clientId(), connection.userId(), topics,
					Instant.ofEpochMilli(connection.openedAtMillis()), connection.queuedFrames(),
					connection.queuedBytes(), connection.deliveredEvents(), connection.droppedEvents(),
					(reason != null) ? "closing: " + reason.tagValue() : connection.isCatchingUp() ? "catching-up" : "open");
		}

	}

}
