package io.github.ssestarter.engine;

import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import io.github.ssestarter.SseTopics;

/**
 * The open streams of this node, indexed by client id, topic and user.
 * <p>
 * Every index is a {@link ConcurrentHashMap}: lookups on the publish path take no lock,
 * and a topic or user entry is created and removed atomically with its first and last
 * member ({@code compute}), so an empty entry never lingers and a concurrent subscribe is
 * never lost. {@code client:<id>} topics are answered from the client index rather than
 * stored as topics, so a topic count is a count of real topics.
 *
 * @since 0.1.0
 */
public final class SseConnectionRegistry {

	/**
	 * Create an instance.
	 */
	public SseConnectionRegistry() {
	}

	private final ConcurrentHashMap<String, SseConnection> clients = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, Set<SseConnection>> topics = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, Set<SseConnection>> users = new ConcurrentHashMap<>();

	void add(SseConnection connection) {
		if (this.clients.putIfAbsent(connection.clientId(), connection) != null) {
			throw new IllegalStateException("Duplicate client id " + connection.clientId());
		}
		for (String topic : connection.topics()) {
			if (!topic.startsWith(SseTopics.CLIENT_PREFIX)) {
				this.topics.compute(topic, (key, members) -> join(members, connection));
			}
		}
		String userId = connection.userId();
		if (userId != null) {
			this.users.compute(userId, (key, members) -> join(members, connection));
		}
	}

	boolean remove(SseConnection connection) {
		if (!this.clients.remove(connection.clientId(), connection)) {
			return false;
		}
		for (String topic : connection.topics()) {
			if (!topic.startsWith(SseTopics.CLIENT_PREFIX)) {
				this.topics.computeIfPresent(topic, (key, members) -> leave(members, connection));
			}
		}
		String userId = connection.userId();
		if (userId != null) {
			this.users.computeIfPresent(userId, (key, members) -> leave(members, connection));
		}
		return true;
	}

	private static Set<SseConnection> join(@Nullable Set<SseConnection> members, SseConnection connection) {
		Set<SseConnection> result = (members != null) ? members : ConcurrentHashMap.newKeySet();
		result.add(connection);
		return result;
	}

	private static @Nullable Set<SseConnection> leave(Set<SseConnection> members, SseConnection connection) {
		members.remove(connection);
		return members.isEmpty() ? null : members;
	}

	/**
	 * The streams subscribed to a topic ({@code client:} topics included).
	 * @param topic the topic
	 * @return the subscribers, possibly empty; a live view
	 */
	public Collection<SseConnection> subscribers(String topic) {
		if (topic.startsWith(SseTopics.CLIENT_PREFIX)) {
			SseConnection connection = this.clients.get(topic.substring(SseTopics.CLIENT_PREFIX.length()));
			return (connection != null && connection.topics().contains(topic)) ? Set.of(connection) : Set.of();
		}
		Set<SseConnection> members = this.topics.get(topic);
		return (members != null) ? members : Set.of();
	}

	/**
	 * Every open stream.
	 * @return a live view
	 */
	public Collection<SseConnection> connections() {
		return Collections.unmodifiableCollection(this.clients.values());
	}

	/**
	 * One stream by its client id.
	 * @param clientId the client id
	 * @return the stream or {@code null}
	 */
	public @Nullable SseConnection connection(String clientId) {
		return this.clients.get(clientId);
	}

	/**
	 * The streams of one user.
	 * @param userId the user id
	 * @return the streams, possibly empty; a live view
	 */
	public Collection<SseConnection> userConnections(String userId) {
		Set<SseConnection> members = this.users.get(userId);
		return (members != null) ? members : Set.of();
	}

	/**
	 * How many streams are open.
	 * @return the count
	 */
	public int connectionCount() {
		return this.clients.size();
	}

	/**
	 * How many topics have subscribers ({@code client:} topics not counted).
	 * @return the count
	 */
	public int topicCount() {
		return this.topics.size();
	}

	/**
	 * How many distinct users have a stream open.
	 * @return the count
	 */
	public int userCount() {
		return this.users.size();
	}

	/**
	 * The topics that have subscribers ({@code client:} topics not included).
	 * @return a live view
	 */
	public Set<String> topicNames() {
		return Collections.unmodifiableSet(this.topics.keySet());
	}

}
