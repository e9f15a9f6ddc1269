package io.github.ssestarter.presence;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import io.github.ssestarter.SsePresence;

/**
 * This node's presence: streams per topic, streams per user, and each user's streams per
 * topic. Changed by one thread (the tracker's, or a test's), read by any.
 *
 * @since 0.3.0
 */
public final class NodePresence {

	private final Map<String, Integer> topicStreams = new ConcurrentHashMap<>();

	private final Map<String, Integer> userStreams = new ConcurrentHashMap<>();

	private final Map<String, Map<String, Integer>> topicUsers = new ConcurrentHashMap<>();

	/**
	 * Create an empty presence.
	 */
	public NodePresence() {
	}

	/**
	 * Count a stream joining ({@code +1}) or leaving ({@code -1}) a topic.
	 * @param topic the topic
	 * @param user the stream's user, or {@code null}
	 * @param delta {@code +1} or {@code -1}
	 * @return the user's streams on the topic afterwards (0 for an anonymous stream)
	 */
	public int changeTopic(String topic, @Nullable String user, int delta) {
		add(this.topicStreams, topic, delta);
		if (user == null) {
			return 0;
		}
		Map<String, Integer> users = this.topicUsers.computeIfAbsent(topic, (t) -> new ConcurrentHashMap<>());
		int count = add(users, user, delta);
		if (users.isEmpty()) {
			this.topicUsers.remove(topic, users);
		}
		return count;
	}

	/**
	 * Count a stream of a user opening ({@code +1}) or closing ({@code -1}).
	 * @param user the user
	 * @param delta {@code +1} or {@code -1}
	 */
	public void changeUser(String user, int delta) {
		add(this.userStreams, user, delta);
	}

	private static int add(Map<String, Integer> counts, String key, int delta) {
		Integer result = counts.compute(key, (k, count) -> {
			int next = ((count != null) ? count : 0) + delta;
			return (next > 0) ? next : null;
		});
		return (result != null) ? result : 0;
	}

	/**
	 * Who is subscribed to a topic on this node.
	 * @param topic the topic
	 * @param maxUsers the most users to list
	 * @return the presence
	 */
	public SsePresence presence(String topic, int maxUsers) {
		Set<String> users = new LinkedHashSet<>();
		Map<String, Integer> subscribed = this.topicUsers.getOrDefault(topic, Map.of());
		boolean all = true;
		for (String user : subscribed.keySet()) {
			if (users.size() == maxUsers) {
				all = false;
				break;
			}
			users.add(user);
		}
		return new SsePresence(topic, this.topicStreams.getOrDefault(topic, 0), Collections.unmodifiableSet(users),
				all);
	}

	/**
	 * Whether the user has a stream on this node.
	 * @param user the user
	 * @return {@code true} if so
	 */
	public boolean isUserOnline(String user) {
		return this.userStreams.containsKey(user);
	}

	/**
	 * Streams per topic.
	 * @return a live view
	 */
	public Map<String, Integer> topicStreams() {
		return Collections.unmodifiableMap(this.topicStreams);
	}

	/**
	 * Streams per user.
	 * @return a live view
	 */
	public Map<String, Integer> userStreams() {
		return Collections.unmodifiableMap(this.userStreams);
	}

	/**
	 * Each user's streams per topic.
	 * @return a live view
	 */
	public Map<String, Map<String, Integer>> topicUsers() {
		return Collections.unmodifiableMap(this.topicUsers);
	}

}
