package io.github.ssestarter.presence;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.github.ssestarter.SsePresence;
import io.github.ssestarter.backplane.SseBackplaneException;

/**
 * Where the presence of every node is kept and queried: this node's memory, or Redis for
 * the cluster. Each node reports only its own streams; a node that stops reporting drops
 * out after a bounded time.
 *
 * @since 0.3.0
 */
public interface SsePresenceStore {

	/**
	 * Record this node's changes.
	 * @param changes the changes, in order
	 * @return the joins and leaves, over the whole cluster, among the changes marked
	 * {@code announced}; {@code null} when the store no longer holds this node's presence
	 * (it expired or the store lost it): {@link #replace} it, the changes were not applied
	 * @throws SseBackplaneException if the store cannot be reached
	 */
	@Nullable List<PresenceTransition> apply(List<PresenceChange> changes);

	/**
	 * Replace everything this node reported with its current presence (after a failure).
	 * @param presence this node's presence
	 * @throws SseBackplaneException if the store cannot be reached
	 */
	void replace(NodePresence presence);

	/**
	 * Tell the store this node is alive, and remove the nodes that stopped telling it.
	 * @return the leaves caused by removing such nodes: the users who had a stream on a topic
	 * only on them (every topic, announced or not); {@code null} when the store no longer
	 * holds this node's presence: {@link #replace} it
	 * @throws SseBackplaneException if the store cannot be reached
	 */
	@Nullable List<PresenceTransition> heartbeat();

	/**
	 * Who is subscribed to a topic.
	 * @param topic the topic
	 * @param maxUsers the most users to list
	 * @return the presence
	 * @throws SseBackplaneException if the store cannot be reached
	 */
	SsePresence presence(String topic, int maxUsers);

	/**
	 * Whether the user has a stream open on any node.
	 * @param userId the user id
	 * @return {@code true} if so
	 * @throws SseBackplaneException if the store cannot be reached
	 */
	boolean isUserOnline(String userId);

	/**
	 * This node shuts down: its presence lasts a little longer, so that its clients can
	 * reconnect elsewhere before anyone is told they left, then it is removed like that of a
	 * node that died.
	 * @param linger how long its presence lasts
	 * @throws SseBackplaneException if the store cannot be reached
	 */
	void leave(Duration linger);

}
