package io.github.ssestarter.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SsePresence;
import io.github.ssestarter.SseService;
import io.github.ssestarter.SseStats;
import io.github.ssestarter.SseTopics;
import io.github.ssestarter.backplane.SseBackplane;
import io.github.ssestarter.encode.EncodedEvent;
import io.github.ssestarter.encode.SseEventEncoder;
import io.github.ssestarter.encode.SseFrame;
import io.github.ssestarter.encode.SseFrames;
import io.github.ssestarter.store.HistoryPage;
import io.github.ssestarter.store.OutgoingEvent;
import io.github.ssestarter.store.SseEventStore;
import io.github.ssestarter.store.StoredEvent;

/**
 * The SSE engine of this node and the default {@link SseService}: publishes through the
 * backplane, opens streams (joining replay to live delivery), and keeps streams healthy
 * with one periodic maintenance pass (heartbeats, maximum lifetime, blocked writes).
 *
 * @since 0.1.0
 */
public class SseEngine implements SseService, SseConnection.Owner, AutoCloseable {

	/** Name of the event that opens each stream. */
	public static final String CONNECTED_EVENT = "sse.connected";

	/**
	 * Name of the event telling a client that it cannot be given some events it should have
	 * had (see {@link ResetReason}); it should refetch its state.
	 */
	public static final String RESET_EVENT = "sse.reset";

	/** Name of the event telling a client that the server is full and it should come back later. */
	public static final String OVERLOADED_EVENT = "sse.overloaded";

	/** Name of the event telling a page that its stream was replaced by a newer one and must not reconnect. */
	public static final String EVICTED_EVENT = "sse.evicted";

	/**
	 * The last event of a stream that ended with the login that opened it: its data's
	 * {@code reason} is {@code session-ended} (logout, session expiry) or
	 * {@code token-expired} (reconnect with a fresh token).
	 * @since 0.3.0
	 */
	public static final String ENDED_EVENT = "sse.ended";

	/** The reconnection delay sent with {@link #EVICTED_EVENT}, for pages that ignore the event. */
	static final Duration EVICTED_RETRY = Duration.ofHours(1);

	/** A write blocked this long counts as blocked: the platform writer pool adds a thread. */
	static final Duration BLOCKED_WRITE = Duration.ofMillis(200);

	private static final Log logger = LogFactory.getLog(SseEngine.class);

	private static final SseFrame OPENING_COMMENT = SseFrames.comment("connected");

	private static final SseFrame HEARTBEAT_COMMENT = SseFrames.comment("heartbeat");

	private static final SseFrame PROBE_COMMENT = SseFrames.comment("probe");

	/**
	 * How long a stream that resumes after an event this node has not delivered yet waits
	 * for the node to catch up before it is told to reconnect.
	 */
	static final Duration RESUME_WAIT = Duration.ofSeconds(2);

	/** How long to wait for a probe write to a closed stream to fail. */
	static final Duration PROBE_WAIT = Duration.ofMillis(50);

	private final SseEngineSettings settings;

	private final SseEventEncoder encoder;

	private final SseEventStore store;

	private final SseBackplane backplane;

	private final SseWriterExecutor writer;

	private final SseConnectionRegistry registry = new SseConnectionRegistry();

	private final SseCounters counters = new SseCounters();

	private final SseDispatcher dispatcher;

	private final SseHistoryReader history;

	/** The final frame of a stream evicted by a newer one of its user. */
	private final SseFrame evictionNotice;

	/** Streams not yet completed, including those ending or closing (no longer in the registry). */
	private final Set<SseConnection> live = ConcurrentHashMap.newKeySet();

	private final SseFrame retryFrame;

	/** The final frames of a stream whose bearer token expired. */
	private final SseFrame tokenExpiredNotice;

	/** The final frames of a stream whose HTTP session ended. */
	private final SseFrame sessionEndedNotice;

	/** Streams admitted and not yet closing; checked against the connection limit. */
	private final AtomicInteger admitted = new AtomicInteger();

	private volatile boolean accepting = true;

	private final SseStreamListener streamListener;

	private final @Nullable SsePresenceView presence;

	/** Whether the backplane is delivering to this node. Guarded by {@code this}. */
	private boolean delivering;

	/**
	 * Create an engine and start receiving events from the backplane.
	 * @param settings how streams are treated
	 * @param encoder encodes each published event once
	 * @param store assigns ids and keeps the history
	 * @param backplane carries events to every node
	 * @param writer runs the writes to clients
	 */
	public SseEngine(SseEngineSettings settings, SseEventEncoder encoder, SseEventStore store, SseBackplane backplane,
			SseWriterExecutor writer) {
		this(settings, encoder, store, backplane, writer, SseStreamListener.NONE, null);
	}

	/**
	 * Create an engine that tells a listener when streams open and close, and start
	 * receiving events from the backplane.
	 * @param settings how streams are treated
	 * @param encoder encodes each published event once
	 * @param store assigns ids and keeps the history
	 * @param backplane carries events to every node
	 * @param writer runs the writes to clients
	 * @param streamListener told when streams open and close; must not block
	 * @param presence answers presence queries (debounced, cluster-wide with a distributed
	 * store), or {@code null} to answer them from this node's open streams
	 * @since 0.3.0
	 */
	public SseEngine(SseEngineSettings settings, SseEventEncoder encoder, SseEventStore store, SseBackplane backplane,
			SseWriterExecutor writer, SseStreamListener streamListener, @Nullable SsePresenceView presence) {
		this.settings = settings;
		this.streamListener = streamListener;
		this.presence = presence;
		this.encoder = encoder;
		this.store = store;
		this.backplane = backplane;
		this.writer = writer;
		this.retryFrame = SseFrames.retry(settings.retry());
		this.evictionNotice = evictionNotice(encoder, settings);
		this.tokenExpiredNotice = endedNotice(encoder, "token-expired", this.retryFrame);
		this.sessionEndedNotice = endedNotice(encoder, "session-ended", this.retryFrame);
		SseConnectionSettings connection = settings.connection();
		this.history = new SseHistoryReader(store, connection.maxQueuedEvents(), connection.maxBatchBytes(),
				Math.max(2, Runtime.getRuntime().availableProcessors()));
		String position = store.latestId();
		this.dispatcher = new SseDispatcher(this.registry, position);
		backplane.start(position, new BackplaneDelivery());
		this.delivering = true;
	}

	// ---- publishing -------------------------------------------------------------------

	@Override
	public String publish(String topic, SseEvent event) {
		return publish(List.of(topic), event);
	}

	@Override
	public String publish(Collection<String> topics, SseEvent event) {
		if (topics.isEmpty()) {
			throw new IllegalArgumentException("Publish to at least one topic, or use broadcast");
		}
		Set<String> checked = new LinkedHashSet<>();
		for (String topic : topics) {
			checked.add(SseTopics.requirePublishable(topic));
		}
		return publish(new OutgoingEvent(checked, false, encode(event)));
	}

	@Override
	public String sendToUser(String userId, SseEvent event) {
		return publish(SseTopics.user(userId), event);
	}

	@Override
	public String sendToSession(String sessionId, SseEvent event) {
		return publish(SseTopics.session(sessionId), event);
	}

	@Override
	public String sendToClient(String clientId, SseEvent event) {
		return publish(SseTopics.client(clientId), event);
	}

	@Override
	public String broadcast(SseEvent event) {
		return publish(new OutgoingEvent(Set.of(), true, encode(event)));
	}

	private EncodedEvent encode(SseEvent event) {
		EncodedEvent encoded = this.encoder.encode(event);
		if (encoded.size() > this.settings.maxEventSize()) {
			throw new IllegalArgumentException("The encoded event is " + encoded.size()
					+ " bytes; sse.max-event-size allows " + this.settings.maxEventSize());
		}
		return encoded;
	}

	private String publish(OutgoingEvent event) {
		String id = this.backplane.publish(event);
		this.counters.recordPublished();
		return id;
	}

	// ---- connections ------------------------------------------------------------------

	/**
	 * Open a stream: register it, then let it write the opening comment, the retry hint,
	 * the {@code sse.connected} event and the replay (or an {@code sse.reset}) before any
	 * live event.
	 * @param subscription what the client asked for, already validated and authorized
	 * @param transport where the stream's bytes go
	 * @return the open stream, or {@code null} when the engine is shutting down, is full, or
	 * cannot join a resuming client to the live flow yet (the transport then got a retry
	 * hint and was completed)
	 */
	public @Nullable SseConnection open(SseSubscription subscription, SseTransport transport) {
		if (!this.accepting) {
			refuse(transport, jitteredRetryFrame());
			return null;
		}
		if (this.admitted.incrementAndGet() > this.settings.maxConnections()) {
			this.admitted.decrementAndGet();
			refuseOverloaded(transport);
			return null;
		}
		if (subscription.lastEventId() != null
				&& !this.backplane.awaitDelivered(subscription.lastEventId(), RESUME_WAIT)) {
			// The client comes from a node that is ahead of this one, which did not catch up
			// in time: joining now would repeat events. It keeps its id and comes back.
			this.admitted.decrementAndGet();
			this.counters.recordOpened();
			this.counters.recordClosed(CloseReason.BEHIND);
			refuse(transport, jitteredRetryFrame());
			return null;
		}
		String clientId = UUID.randomUUID().toString();
		SseConnection connection = new SseConnection(clientId, subscription.userId(), subscription.sessionId(),
				topicsOf(clientId, subscription), deadline(subscription.credentialExpiresAt()), transport,
				this.settings.connection(), this.writer, this.counters, this);
		transport.attach(connection);
		String position;
		try {
			position = register(connection);
		}
		catch (SseUserLimitException ex) {
			this.admitted.decrementAndGet();
			this.counters.recordOpened();
			this.counters.recordClosed(CloseReason.LIMIT);
			throw ex;
		}
		this.live.add(connection);
		this.counters.recordOpened();
		this.streamListener.opened(connection);
		// Resumed through the history even when it keeps nothing (sse.replay.enabled=false):
		// a client that missed events is then told so, instead of silently joining live.
		String resumeAfter = subscription.lastEventId();
		ArrayDeque<SseFrame> preamble = new ArrayDeque<>();
		preamble.add(OPENING_COMMENT);
		preamble.add(this.retryFrame);
		try {
			if (this.settings.connectedEvent()) {
				preamble.add(connectedNotice(connection, (resumeAfter != null) ? resumeAfter : position));
			}
		}
		catch (RuntimeException ex) {
			connection.close(CloseReason.ERROR);
			connection.start(new ArrayDeque<>(), position, null); // lets the drainer complete it
			throw ex;
		}
		connection.start(preamble, position, resumeAfter);
		if (!this.accepting) {
			connection.end(CloseReason.SHUTDOWN, jitteredRetryFrame()); // shutdown began while we registered
		}
		return connection;
	}

	/**
	 * The node is full: answer so that a browser comes back later rather than giving up
	 * (any status but 200 would end its EventSource for good): a jittered retry hint, an
	 * {@code sse.overloaded} event, and the end of the stream.
	 */
	private void refuseOverloaded(SseTransport transport) {
		this.counters.recordOpened();
		this.counters.recordClosed(CloseReason.LIMIT);
		SseFrame retry = jitteredRetryFrame();
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("reason", "server-full");
		data.put("maxConnections", this.settings.maxConnections());
		SseFrame notice = this.encoder.encode(SseEvent.of(OVERLOADED_EVENT, data)).toControlFrame(null);
		refuse(transport, retry, notice);
		if (logger.isDebugEnabled()) {
			logger.debug("Refused an SSE stream: " + this.settings.maxConnections() + " streams are open");
		}
	}

	private static void refuse(SseTransport transport, SseFrame... frames) {
		try {
			for (SseFrame frame : frames) {
				transport.write(frame.bytes());
			}
		}
		catch (Exception ex) {
			logger.debug("Could not tell a client to retry later", ex);
		}
		transport.complete();
	}

	private String register(SseConnection connection) {
		int maxPerUser = this.settings.maxConnectionsPerUser();
		PerUserLimitPolicy policy = this.settings.perUserLimitPolicy();
		try {
			return this.dispatcher.register(connection, maxPerUser, policy, this.evictionNotice);
		}
		catch (SseUserLimitException ex) {
			if (!freedByProbing(connection.userId(), maxPerUser)) {
				throw ex;
			}
			return this.dispatcher.register(connection, maxPerUser, policy, this.evictionNotice);
		}
	}

	/**
	 * A user at the limit may only have reloaded a page: the closed tab's stream still
	 * counts until a write to it fails. Probe the user's streams with two comments (the
	 * first write to a closed socket usually succeeds, the second fails) and see whether
	 * that freed a place. Costs the request up to {@code 2 * PROBE_WAIT}, only at the limit.
	 */
	private boolean freedByProbing(@Nullable String userId, int maxPerUser) {
		if (userId == null) {
			return false;
		}
		for (int round = 0; round < 2; round++) {
			for (SseConnection existing : List.copyOf(this.registry.userConnections(userId))) {
				existing.offer(PROBE_COMMENT);
			}
			try {
				Thread.sleep(PROBE_WAIT.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
			if (this.registry.userConnections(userId).size() < maxPerUser) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The final frame of a user's oldest stream, ended to make room for a new one: it tells
	 * the page not to reconnect (a page that did would evict the newer tab in turn, forever).
	 */
	private static SseFrame evictionNotice(SseEventEncoder encoder, SseEngineSettings settings) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("reason", "too-many-streams");
		data.put("maxConnectionsPerUser", settings.maxConnectionsPerUser());
		data.put("reconnect", false);
		SseEvent notice = SseEvent.builder().name(EVICTED_EVENT).retry(EVICTED_RETRY).data(data).build();
		return encoder.encode(notice).toControlFrame(null);
	}

	/** {@code sse.ended} with why, then a retry hint: one frame, written last. */
	private static SseFrame endedNotice(SseEventEncoder encoder, String reason, SseFrame retry) {
		byte[] event = encoder.encode(SseEvent.of(ENDED_EVENT, Map.of("reason", reason))).toControlFrame(null).bytes();
		byte[] bytes = Arrays.copyOf(event, event.length + retry.bytes().length);
		System.arraycopy(retry.bytes(), 0, bytes, event.length, retry.bytes().length);
		return SseFrame.control(bytes);
	}

	private Set<String> topicsOf(String clientId, SseSubscription subscription) {
		Set<String> topics = new LinkedHashSet<>(subscription.topics());
		topics.add(SseTopics.client(clientId));
		if (subscription.userId() != null && this.settings.subscribeUserTopic()) {
			topics.add(SseTopics.user(subscription.userId()));
		}
		if (subscription.sessionId() != null) {
			topics.add(SseTopics.session(subscription.sessionId()));
		}
		return Collections.unmodifiableSet(topics);
	}

	/**
	 * When a new stream ends: at the end of its lifetime (shortened at random), or when its
	 * credential expires if that comes first.
	 */
	private SseConnection.Deadline deadline(@Nullable Instant credentialExpiresAt) {
		long now = System.nanoTime();
		long lifetime = this.settings.maxLifetime().toNanos();
		double shortenBy = this.settings.lifetimeJitter() * ThreadLocalRandom.current().nextDouble();
		long lifetimeEnd = now + (long) (lifetime * (1 - shortenBy));
		if (credentialExpiresAt != null) {
			long untilExpiry = Math.max(0, Duration.between(Instant.now(), credentialExpiresAt).toNanos());
			if (untilExpiry < lifetimeEnd - now) {
				return new SseConnection.Deadline(now + untilExpiry, CloseReason.TOKEN_EXPIRED);
			}
		}
		return new SseConnection.Deadline(lifetimeEnd, CloseReason.TIMEOUT);
	}

	/**
	 * The notice that opens a stream. It carries the id the client resumes from if the
	 * stream breaks before its next event: the one it resumes after, else its position.
	 */
	private SseFrame connectedNotice(SseConnection connection, String resumeId) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("clientId", connection.clientId());
		data.put("topics", visibleTopics(connection.topics()));
		return encodeNotice(CONNECTED_EVENT, data, resumeId);
	}

	private static List<String> visibleTopics(Set<String> topics) {
		// Never echo the session id: the session cookie is HttpOnly for a reason.
		List<String> visible = new ArrayList<>(topics.size());
		for (String topic : topics) {
			if (!topic.startsWith(SseTopics.SESSION_PREFIX)) {
				visible.add(topic);
			}
		}
		return visible;
	}

	private SseFrame encodeNotice(String name, Object data, @Nullable String id) {
		return this.encoder.encode(SseEvent.of(name, data)).toControlFrame(id);
	}

	@Override
	public SseFrame resetNotice(ResetReason reason, @Nullable String lastEventId, long missed, @Nullable String id) {
		this.counters.recordReset(reason);
		return resetFrame(reason, lastEventId, missed, id);
	}

	private SseFrame resetFrame(ResetReason reason, @Nullable String lastEventId, long missed, @Nullable String id) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("reason", reason.value());
		if (lastEventId != null) {
			data.put("lastEventId", lastEventId);
		}
		if (missed > 0) {
			data.put("missed", missed);
		}
		return encodeNotice(RESET_EVENT, data, id);
	}

	@Override
	public void nodeBehind(SseConnection connection) {
		if (connection.end(CloseReason.BEHIND, jitteredRetryFrame()) && logger.isDebugEnabled()) {
			logger.debug("SSE client " + connection.clientId() + " resumed after an event this node has not "
					+ "received yet; it is told to reconnect");
		}
	}

	@Override
	public @Nullable String rejoin(SseConnection connection) {
		return this.dispatcher.rejoin(connection);
	}

	@Override
	public void readHistory(SseConnection connection, String afterId, String upToId) {
		this.history.read(connection, afterId, upToId);
	}

	private SseFrame jitteredRetryFrame() {
		long base = Math.max(1, this.settings.retry().toMillis());
		return SseFrames.retry(Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base)));
	}

	@Override
	public void connectionClosing(SseConnection connection, CloseReason reason) {
		this.admitted.decrementAndGet();
		this.registry.remove(connection);
		this.counters.recordClosed(reason);
		this.streamListener.closed(connection, reason);
		if (logger.isDebugEnabled()) {
			logger.debug("SSE client " + connection.clientId() + " closing: " + reason.tagValue());
		}
	}

	@Override
	public void connectionClosed(SseConnection connection) {
		this.live.remove(connection);
	}

	/**
	 * How this engine runs, in one line for the start-up log: writers, backplane, limits.
	 * @return the description
	 */
	public String describe() {
		SseConnectionSettings connection = this.settings.connection();
		String writers = "writers on " + this.writer.poolSize() + (this.writer.isVirtual() ? " virtual" : " platform")
				+ " threads";
		return writers + "; backplane " + this.backplane.describe() + "; up to " + this.settings.maxConnections()
				+ " streams, " + this.settings.maxConnectionsPerUser() + " per user ("
				+ this.settings.perUserLimitPolicy().name().toLowerCase(Locale.ROOT).replace('_', '-')
				+ "); each stream queues up to " + connection.maxQueuedEvents() + " events or "
				+ (connection.maxQueuedBytes() / 1024) + " KB ("
				+ connection.overflowPolicy().name().toLowerCase(Locale.ROOT).replace('_', '-')
				+ "); heartbeat every " + readable(this.settings.heartbeatInterval()) + "; streams last up to "
				+ readable(this.settings.maxLifetime());
	}

	private static String readable(Duration duration) {
		long millis = duration.toMillis();
		if (millis % 1000 != 0) {
			return millis + " ms";
		}
		long seconds = millis / 1000;
		return (seconds % 60 != 0 || seconds == 0) ? seconds + " s" : (seconds / 60) + " min";
	}

	@Override
	public String position() {
		return this.dispatcher.lastDeliveredId();
	}

	@Override
	public boolean isUserOnline(String userId) {
		if (!this.registry.userConnections(userId).isEmpty()) {
			return true;
		}
		return this.presence != null && this.presence.isUserOnline(userId);
	}

	@Override
	public SsePresence presence(String topic) {
		SseTopics.requirePublishable(topic);
		if (this.presence != null) {
			return this.presence.presence(topic);
		}
		Set<String> users = new LinkedHashSet<>();
		int streams = 0;
		for (SseConnection connection : this.registry.subscribers(topic)) {
			streams++;
			if (connection.userId() != null) {
				users.add(connection.userId());
			}
		}
		return new SsePresence(topic, streams, Collections.unmodifiableSet(users), true);
	}

	@Override
	public int disconnectUser(String userId) {
		int closed = 0;
		for (SseConnection connection : List.copyOf(this.registry.userConnections(userId))) {
			closed += connection.close(CloseReason.EVICTED) ? 1 : 0;
		}
		return closed;
	}

	/**
	 * End the streams opened in an HTTP session that ended (logout, expiry, invalidation):
	 * each stream writes what is already queued for it, then {@code sse.ended}
	 * ({@code session-ended}) and a retry hint, and completes.
	 * @param sessionId the session id
	 * @return how many streams were ended
	 * @since 0.3.0
	 */
	public int endSession(String sessionId) {
		int ended = 0;
		for (SseConnection connection : List.copyOf(this.registry.subscribers(SseTopics.SESSION_PREFIX + sessionId))) {
			ended += connection.end(CloseReason.SESSION_ENDED, this.sessionEndedNotice) ? 1 : 0;
		}
		return ended;
	}

	/**
	 * End the streams opened in an HTTP session whose id changed (a login in the same
	 * browser, perhaps as another user): each writes what is queued, then a retry hint, and
	 * completes; the browser reconnects as whoever the session now belongs to.
	 * @param oldSessionId the session's former id
	 * @return how many streams were ended
	 * @since 0.3.0
	 */
	public int sessionIdChanged(String oldSessionId) {
		int ended = 0;
		for (SseConnection connection : List
			.copyOf(this.registry.subscribers(SseTopics.SESSION_PREFIX + oldSessionId))) {
			ended += connection.end(CloseReason.SESSION_ENDED, jitteredRetryFrame()) ? 1 : 0;
		}
		return ended;
	}

	@Override
	public boolean disconnectClient(String clientId) {
		SseConnection connection = this.registry.connection(clientId);
		return connection != null && connection.close(CloseReason.EVICTED);
	}

	/**
	 * End a stream gracefully, as the application asked: once this node has delivered the
	 * event {@code lastId} (an event just published to it through a distributed backplane
	 * arrives a little later; waited for up to a bound), the stream writes what it still
	 * reads from the history and what is queued, then a retry hint, and completes.
	 * @param connection the stream
	 * @param lastId the last event the stream must receive before it ends, or {@code null}
	 * @param reason why it ends
	 * @return {@code true} if this call ended an open stream
	 */
	public boolean end(SseConnection connection, @Nullable String lastId, CloseReason reason) {
		if (lastId != null) {
			this.backplane.awaitDelivered(lastId, RESUME_WAIT);
		}
		return connection.endAfterEverything(reason, jitteredRetryFrame());
	}

	@Override
	public SseStats stats() {
		return new SseStats(this.registry.connectionCount(), this.registry.topicCount(), this.registry.userCount(),
				this.counters.published(), this.counters.delivered(), this.counters.droppedTotal(),
				this.counters.replayed(), this.counters.caughtUp(), this.counters.resetsTotal(), pendingBytes());
	}

	/**
	 * Bytes waiting in every stream's queue right now.
	 * @return the byte count
	 */
	public long pendingBytes() {
		long pending = 0;
		for (SseConnection connection : this.live) {
			pending += connection.queuedBytes();
		}
		return pending;
	}

	/**
	 * Streams that have not completed yet, including those ending or closing.
	 * @return a live view
	 */
	public Collection<SseConnection> liveConnectionsView() {
		return Collections.unmodifiableSet(this.live);
	}

	/**
	 * The open streams, indexed by client, topic and user.
	 * @return the registry
	 */
	public SseConnectionRegistry registry() {
		return this.registry;
	}

	/**
	 * The engine's counters.
	 * @return the counters
	 */
	public SseCounters counters() {
		return this.counters;
	}

	/**
	 * The backplane events go through.
	 * @return the backplane
	 */
	public SseBackplane backplane() {
		return this.backplane;
	}

	/**
	 * How the engine treats streams.
	 * @return the settings
	 */
	public SseEngineSettings settings() {
		return this.settings;
	}

	/**
	 * Whether new streams are accepted (false once shutdown has begun).
	 * @return {@code true} while accepting
	 */
	public boolean isAccepting() {
		return this.accepting;
	}

	// ---- maintenance and shutdown -----------------------------------------------------

	/**
	 * One maintenance pass over every stream: report and time out blocked writes, end
	 * streams past their lifetime with a retry hint, send heartbeats to quiet streams, and
	 * expire old history. Called periodically from one thread.
	 */
	void maintain() {
		long now = System.nanoTime();
		long blocked = BLOCKED_WRITE.toNanos();
		long writeTimeout = this.settings.writeTimeout().toNanos();
		long quietSince = now - this.settings.heartbeatInterval().toNanos();
		SseFrame heartbeat = null;
		for (SseConnection connection : this.live) {
			connection.checkWrite(now, blocked, writeTimeout);
			if (!connection.isOpen()) {
				continue;
			}
			SseConnection.Deadline deadline = connection.deadline();
			if (now - deadline.nanos() >= 0) {
				connection.end(deadline.reason(),
						(deadline.reason() == CloseReason.TOKEN_EXPIRED) ? this.tokenExpiredNotice : this.retryFrame);
			}
			else if (connection.isQuietSince(quietSince)) {
				heartbeat = (heartbeat != null) ? heartbeat : heartbeatFrame();
				connection.offer(heartbeat);
			}
		}
		this.history.evictExpired();
	}

	private SseFrame heartbeatFrame() {
		if (this.settings.heartbeatMode() == HeartbeatMode.COMMENT) {
			return HEARTBEAT_COMMENT;
		}
		return this.encoder.encode(SseEvent.of("heartbeat", Map.of("timestamp", System.currentTimeMillis())))
			.toControlFrame(null);
	}

	/**
	 * Accept streams again after {@link #shutdown(Duration)} (a stopped application
	 * context that is started again).
	 */
	public synchronized void resume() {
		if (!this.delivering) {
			this.backplane.start(this.dispatcher.lastDeliveredId(), new BackplaneDelivery());
			this.delivering = true;
		}
		this.accepting = true;
	}

	/**
	 * Stop accepting streams, end every open stream gracefully (queued events, then a
	 * jittered retry hint so clients reconnect elsewhere or later, then completion), and
	 * close whatever has not finished within the timeout; then stop receiving from the
	 * backplane. Publishing still works; the engine can {@link #resume()}.
	 * @param timeout how long to wait for streams to flush
	 */
	public void shutdown(Duration timeout) {
		this.accepting = false;
		for (SseConnection connection : this.live) {
			connection.end(CloseReason.SHUTDOWN, jitteredRetryFrame());
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!this.live.isEmpty() && System.nanoTime() - deadline < 0) {
			try {
				TimeUnit.MILLISECONDS.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		if (!this.live.isEmpty()) {
			logger.info(this.live.size() + " SSE streams did not flush within " + timeout + "; closing them");
			for (SseConnection connection : this.live) {
				connection.close(CloseReason.SHUTDOWN);
			}
		}
		stopDelivery();
	}

	/** Stop receiving from the backplane (before its connections are stopped); {@link #resume()} restarts it. */
	private synchronized void stopDelivery() {
		if (this.delivering) {
			this.delivering = false;
			this.backplane.stop();
		}
	}

	/**
	 * Release the engine's resources: stop receiving from the backplane and stop the writer
	 * threads. Called when the application context closes, after {@link #shutdown(Duration)}.
	 */
	@Override
	public void close() {
		this.accepting = false;
		stopDelivery();
		this.history.shutdown(Duration.ofSeconds(1));
		this.writer.shutdown(Duration.ofSeconds(1));
	}

	/**
	 * Streams that have not completed yet (open, ending or closing).
	 * @return the count
	 */
	public int liveConnections() {
		return this.live.size();
	}

	/** Hands what the backplane delivers to the dispatcher. */
	private final class BackplaneDelivery implements SseBackplane.Delivery {

		@Override
		public void deliver(StoredEvent event) {
			SseEngine.this.dispatcher.deliver(event);
		}

		@Override
		public void skipTo(String position, HistoryPage.Reset reason) {
			// Which events each stream missed is not known here (they are lost): the notice
			// says where it goes on, not what the stream last had.
			ResetReason told = ResetReason.UNKNOWN;
			int streams = SseEngine.this.dispatcher.skipTo(position, resetFrame(told, null, 0, position));
			SseEngine.this.counters.recordResets(told, streams);
			if (streams > 0) {
				logger.info("SSE delivery on this node skipped to " + position + ": the events before it that it had "
						+ "not delivered cannot be (" + reason.name().toLowerCase(java.util.Locale.ROOT)
						+ "); sse.reset sent to " + streams + ((streams == 1) ? " stream" : " streams"));
			}
		}

	}

}
