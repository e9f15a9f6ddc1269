package io.github.ssestarter.presence;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.PatternMatchUtils;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SsePresence;
import io.github.ssestarter.SseTopics;
import io.github.ssestarter.engine.CloseReason;
import io.github.ssestarter.engine.SseConnection;
import io.github.ssestarter.engine.SseLifecycle;
import io.github.ssestarter.engine.SsePresenceView;
import io.github.ssestarter.engine.SseStreamListener;

/**
 * Keeps this node's presence and reports it to the {@link SsePresenceStore}, on one thread of
 * its own: the engine only queues a notice when a stream opens or closes. A closed stream
 * still counts for the leave delay, so a reconnecting page is neither a leave nor a join;
 * for topics that ask for it ({@code sse.presence.notify-topics}), a user's first stream on
 * the topic anywhere in the cluster and the end of their last one are announced to the
 * topic as {@code sse.presence} events. When the store cannot be reached, this node's
 * presence is kept and written again in full once it can.
 *
 * @since 0.3.0
 */
public final class SsePresenceTracker implements SseStreamListener, SsePresenceView, SmartLifecycle, AutoCloseable {

	/** The name of the events announcing joins and leaves. */
	public static final String PRESENCE_EVENT = "sse.presence";

	private static final Log logger = LogFactory.getLog(SsePresenceTracker.class);

	private static final int MAX_EARLY_CLOSES = 10_000;

	/** How long {@link #stop()} waits for this node's presence to be withdrawn. */
	private static final Duration STOP_WAIT = Duration.ofSeconds(3);

	/** How often queued notices are taken. */
	private static final long TICK_MILLIS = 10;

	private final SsePresenceStore store;

	private final NodePresence node;

	private final Settings settings;

	/** Filled by the engine's threads without waking this one, which takes them every tick. */
	private final Queue<Notice> notices = new ConcurrentLinkedQueue<>();

	/** Closed streams still counted, oldest first; only the tracker's thread uses it. */
	private final ArrayDeque<Notice> leaving = new ArrayDeque<>();

	/** The streams counted in this node's presence; only the tracker's thread uses it. */
	private final Set<SseConnection> counted = new HashSet<>();

	/** Streams reported closed before they were reported open (bounded); only the tracker's thread uses it. */
	private final Set<SseConnection> closedEarly = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<SseConnection, Boolean> eldest) {
			return size() > MAX_EARLY_CLOSES;
		}

	});

	private final Thread thread;

	private volatile @Nullable BiConsumer<String, SseEvent> announcer;

	private volatile boolean running = true;

	/** Stopped with the application context: nothing is reported until it starts again. */
	private volatile boolean paused;

	/** Set by {@link #stop()} for the tracker's thread, which withdraws this node's presence. */
	private volatile @Nullable CountDownLatch withdrawal;

	/** The store missed changes: write this node's presence again in full. */
	private boolean stale = true;

	private long nextHeartbeat;

	private boolean failureLogged;

	/**
	 * Create the tracker and start its thread.
	 * @param store where presence is kept
	 * @param node this node's presence (the one a {@link LocalPresenceStore} reads)
	 * @param settings delays and limits
	 */
	public SsePresenceTracker(SsePresenceStore store, NodePresence node, Settings settings) {
		this.store = store;
		this.node = node;
		this.settings = settings;
		this.nextHeartbeat = System.nanoTime();
		this.thread = new Thread(this::run, "sse-presence");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/**
	 * Where joins and leaves are published (the engine), once it exists.
	 * @param announcer publishes an event to a topic
	 */
	public void announceThrough(BiConsumer<String, SseEvent> announcer) {
		this.announcer = announcer;
	}

	@Override
	public void opened(SseConnection connection) {
		this.notices.add(new Notice(connection, false, 0));
	}

	@Override
	public void closed(SseConnection connection, CloseReason reason) {
		this.notices.add(new Notice(connection, true, System.nanoTime() + this.settings.leaveDelay().toNanos()));
	}

	/**
	 * Who is subscribed to a topic, over the whole cluster with a distributed store.
	 * @param topic the topic
	 * @return the presence
	 */
	@Override
	public SsePresence presence(String topic) {
		return this.store.presence(topic, this.settings.maxUsers());
	}

	/**
	 * Whether the user has a stream on any node (on this one without a distributed store).
	 * @param userId the user
	 * @return {@code true} if so
	 */
	@Override
	public boolean isUserOnline(String userId) {
		return this.node.isUserOnline(userId) || this.store.isUserOnline(userId);
	}

	private void run() {
		while (this.running) {
			try {
				step();
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (Throwable ex) { // the thread must survive anything
				logger.error("SSE presence tracking failed; it carries on", ex);
				this.stale = true;
			}
		}
	}

	private void step() throws InterruptedException {
		leaveIfAsked();
		if (this.notices.isEmpty() || this.paused) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.min(TICK_MILLIS, waitMillis())));
			if (Thread.interrupted()) {
				throw new InterruptedException();
			}
		}
		if (this.paused) {
			return; // stopped: notices wait for a restart, which writes this node's presence in full
		}
		Notice first = this.notices.poll();
		// The store first holds this node's presence as it was before these changes (written
		// in full if it missed some), so that applying them tells who joined and who left.
		refresh(System.nanoTime());
		List<PresenceChange> changes = new ArrayList<>();
		if (first != null) {
			List<Notice> batch = new ArrayList<>();
			batch.add(first);
			for (Notice notice; batch.size() < 10_000 && (notice = this.notices.poll()) != null;) {
				batch.add(notice);
			}
			for (Notice notice : batch) {
				if (!notice.closed) {
					if (!this.closedEarly.remove(notice.connection) && this.counted.add(notice.connection)) {
						count(notice.connection, +1, changes);
					}
				}
				else if (this.counted.contains(notice.connection)) {
					this.leaving.add(notice);
				}
				else {
					this.closedEarly.add(notice.connection);
				}
			}
		}
		long now = System.nanoTime();
		while (!this.leaving.isEmpty() && now - this.leaving.peekFirst().dueNanos >= 0) {
			SseConnection connection = this.leaving.pollFirst().connection;
			if (this.counted.remove(connection)) {
				count(connection, -1, changes);
			}
		}
		if (!changes.isEmpty() && !this.stale) {
			apply(changes);
		}
	}

	private long waitMillis() {
		long until = this.nextHeartbeat - System.nanoTime();
		Notice next = this.leaving.peekFirst();
		if (next != null) {
			until = Math.min(until, next.dueNanos - System.nanoTime());
		}
		return Math.max(1, TimeUnit.NANOSECONDS.toMillis(until));
	}

	private void count(SseConnection connection, int delta, List<PresenceChange> changes) {
		String user = connection.userId();
		for (String topic : connection.topics()) {
			if (topic.startsWith(SseTopics.CLIENT_PREFIX) || topic.startsWith(SseTopics.SESSION_PREFIX)) {
				continue;
			}
			int count = this.node.changeTopic(topic, user, delta);
			changes.add(new PresenceChange(topic, user, delta, user != null && notifies(topic), count));
		}
		if (user != null) {
			this.node.changeUser(user, delta);
			changes.add(new PresenceChange(null, user, delta, false, 0));
		}
	}

	private boolean notifies(String topic) {
		return !SseTopics.isReserved(topic) && PatternMatchUtils.simpleMatch(this.settings.notifyTopics(), topic);
	}

	/**
	 * When due: a heartbeat, or this node's presence in full when the store missed changes
	 * (retried at the heartbeat interval while the store cannot be reached) or lost it.
	 */
	private void refresh(long now) {
		if (now - this.nextHeartbeat < 0) {
			return;
		}
		try {
			if (this.stale) {
				this.store.replace(this.node);
				this.stale = false;
			}
			List<PresenceTransition> leaves = this.store.heartbeat();
			if (leaves == null) {
				this.store.replace(this.node); // the store lost this node
			}
			else {
				announce(leaves); // of users who were only on nodes that died or shut down
			}
			reported();
		}
		catch (RuntimeException ex) {
			failed(ex);
		}
		this.nextHeartbeat = now + this.settings.heartbeatInterval().toNanos();
	}

	private void apply(List<PresenceChange> changes) {
		try {
			List<PresenceTransition> transitions = this.store.apply(changes);
			if (transitions == null) {
				this.stale = true; // the store lost this node: written in full at the next step
				this.nextHeartbeat = System.nanoTime();
			}
			else {
				announce(transitions);
			}
			reported();
		}
		catch (RuntimeException ex) {
			failed(ex);
		}
	}

	private void reported() {
		if (this.failureLogged) {
			logger.info("SSE presence is reported again");
			this.failureLogged = false;
		}
	}

	private void failed(RuntimeException ex) {
		this.stale = true; // the changes are in this node's presence: written in full later
		if (!this.failureLogged) {
			logger.warn("Could not report SSE presence; this node's streams may be missing from other nodes' "
					+ "presence until it can: " + ex.getMessage());
			this.failureLogged = true;
		}
	}

	private void announce(List<PresenceTransition> transitions) {
		BiConsumer<String, SseEvent> target = this.announcer;
		if (target == null) {
			return;
		}
		for (PresenceTransition transition : transitions) {
			if (!notifies(transition.topic())) {
				continue;
			}
			Map<String, Object> data = new LinkedHashMap<>();
			data.put("topic", transition.topic());
			data.put("userId", transition.user());
			data.put("state", transition.joined() ? "joined" : "left");
			try {
				target.accept(transition.topic(), SseEvent.of(PRESENCE_EVENT, data));
			}
			catch (RuntimeException ex) {
				logger.debug("Could not announce " + data, ex);
			}
		}
	}

	/**
	 * Report again after {@link #stop()} (a context that is started again).
	 */
	@Override
	public void start() {
		if (this.paused) {
			this.stale = true;
			this.nextHeartbeat = System.nanoTime();
			this.paused = false;
			LockSupport.unpark(this.thread);
		}
	}

	/**
	 * The node shuts down, after its streams were ended: its presence lasts for the leave
	 * delay (its clients reconnect elsewhere meanwhile), then another node removes it and
	 * announces who left. Done on the tracker's thread, waited for up to a bound.
	 */
	@Override
	public void stop() {
		if (this.paused) {
			return;
		}
		CountDownLatch left = new CountDownLatch(1);
		this.withdrawal = left;
		LockSupport.unpark(this.thread);
		try {
			if (!left.await(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
				logger.debug("SSE presence was not withdrawn in time; it expires with sse.presence.node-timeout");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void leaveIfAsked() {
		CountDownLatch left = this.withdrawal;
		if (left == null) {
			return;
		}
		this.withdrawal = null;
		this.paused = true;
		try {
			this.store.leave(this.settings.leaveDelay());
		}
		catch (RuntimeException ex) {
			logger.debug("Could not withdraw this node's SSE presence; it expires with sse.presence.node-timeout", ex);
		}
		left.countDown();
	}

	@Override
	public boolean isRunning() {
		return !this.paused;
	}

	/** Stops after the engine ({@link SseLifecycle}), whose ends of streams it still counts, and before Redis. */
	@Override
	public int getPhase() {
		return SseLifecycle.PHASE - 1;
	}

	/**
	 * Stop the tracker's thread (the store is not touched: it may be closed already).
	 */
	@Override
	public void close() {
		this.running = false;
		this.thread.interrupt();
		try {
			this.thread.join(1000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * How presence is tracked.
	 *
	 * @param leaveDelay how long a closed stream still counts
	 * @param maxUsers the most users listed per topic
	 * @param notifyTopics patterns ({@code *} for any characters) of the topics whose joins and
	 * leaves are announced
	 * @param heartbeatInterval how often this node tells the store it is alive
	 */
	public record Settings(Duration leaveDelay, int maxUsers, String[] notifyTopics, Duration heartbeatInterval) {
	}

	private record Notice(SseConnection connection, boolean closed, long dueNanos) {
	}

}
