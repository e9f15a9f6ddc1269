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

	private final ConcurrentHashMap<String, TopicMembers> topics = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, Set<SseConnection>> users = new ConcurrentHashMap<>();

	void add(SseConnection connection) {
		if (this.clients.putIfAbsent(connection.clientId(), connection) != null) {
			throw new IllegalStateException("Duplicate client id " + connection.clientId());
		}
		for (String topic : connection.topics()) {
			if (!topic.startsWith(SseTopics.CLIENT_PREFIX)) {
				this.topics.compute(topic, (key, members) -> TopicMembers.join(members, connection));
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
				this.topics.computeIfPresent(topic, (key, members) -> members.leave(connection));
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
		TopicMembers members = this.topics.get(topic);
		return (members != null) ? members.view() : Set.of();
	}

	/**
	 * The streams subscribed to a topic, for one delivery: an array that is reused until
	 * the topic's members change (walking it is several times cheaper than walking a
	 * concurrent set). A stream added before this call is in it; one removed while the
	 * caller walks the array may still be.
	 * @param topic the topic
	 * @return the subscribers, possibly empty; not to be modified
	 */
	SseConnection[] subscriberArray(String topic) {
		if (topic.startsWith(SseTopics.CLIENT_PREFIX)) {
			return subscribers(topic).toArray(TopicMembers.NONE);
		}
		TopicMembers members = this.topics.get(topic);
		return (members != null) ? members.snapshot() : TopicMembers.NONE;
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

	/**
	 * The streams of one topic, with an array of them cached for deliveries. A change of
	 * members drops the array under the members' lock, and the array is rebuilt under the
	 * same lock, so a cached array never misses a stream added before it was read and never
	 * keeps one removed after (it would hold the closed stream in memory).
	 */
	private static final class TopicMembers {

		static final SseConnection[] NONE = {};

		private final Set<SseConnection> members = ConcurrentHashMap.newKeySet();

		private volatile SseConnection @Nullable [] snapshot;

		static TopicMembers join(@Nullable TopicMembers members, SseConnection connection) {
			TopicMembers result = (members != null) ? members : new TopicMembers();
			synchronized (result) {
				result.members.add(connection);
				result.snapshot = null;
			}
			return result;
		}

		@Nullable TopicMembers leave(SseConnection connection) {
			synchronized (this) {
				this.members.remove(connection);
				this.snapshot = null;
			}
			return this.members.isEmpty() ? null : this;
		}

		Set<SseConnection> view() {
			return Collections.unmodifiableSet(this.members);
		}

		SseConnection[] snapshot() {
			SseConnection[] current = this.snapshot;
			if (current != null) {
				return current;
			}
			synchronized (this) {
				current = this.snapshot;
				if (current == null) {
					current = this.members.toArray(NONE);
					this.snapshot = current;
				}
				return current;
			}
		}

	}

}
