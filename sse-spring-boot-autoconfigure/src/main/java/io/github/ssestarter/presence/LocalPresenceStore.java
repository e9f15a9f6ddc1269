package io.github.ssestarter.presence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.ssestarter.SsePresence;

/**
 * Presence without a distributed backplane: this node's own.
 *
 * @since 0.3.0
 */
public final class LocalPresenceStore implements SsePresenceStore {

	private final NodePresence node;

	/**
	 * Create the store.
	 * @param node this node's presence, kept by the tracker
	 */
	public LocalPresenceStore(NodePresence node) {
		this.node = node;
	}

	@Override
	public List<PresenceTransition> apply(List<PresenceChange> changes) {
		List<PresenceTransition> transitions = new ArrayList<>();
		for (PresenceChange change : changes) {
			if (change.announced() && change.topic() != null && change.user() != null) {
				if (change.delta() > 0 && change.localCount() == change.delta()) {
					transitions.add(new PresenceTransition(change.topic(), change.user(), true));
				}
				else if (change.delta() < 0 && change.localCount() == 0) {
					transitions.add(new PresenceTransition(change.topic(), change.user(), false));
				}
			}
		}
		return transitions;
	}

	@Override
	public void replace(NodePresence presence) {
	}

	@Override
	public List<PresenceTransition> heartbeat() {
		return List.of();
	}

	@Override
	public SsePresence presence(String topic, int maxUsers) {
		return this.node.presence(topic, maxUsers);
	}

	@Override
	public boolean isUserOnline(String userId) {
		return this.node.isUserOnline(userId);
	}

	@Override
	public void leave(Duration linger) {
	}

}
