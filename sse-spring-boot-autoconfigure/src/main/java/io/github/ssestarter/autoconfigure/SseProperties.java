package io.github.ssestarter.autoconfigure;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

import io.github.ssestarter.engine.HeartbeatMode;
import io.github.ssestarter.engine.OverflowPolicy;
import io.github.ssestarter.engine.PerUserLimitPolicy;

/**
 * Configuration of the SSE starter ({@code sse.*}). Every value is checked at start-up;
 * an invalid one stops the application with a message naming the property.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("sse")
public class SseProperties implements Validator, EnvironmentAware {

	/**
	 * Create an instance with the defaults.
	 */
	public SseProperties() {
	}

	private @Nullable Environment environment;

	/**
	 * Whether to enable the SSE engine and endpoints.
	 */
	private boolean enabled = true;

	/**
	 * Largest encoded event that may be published; larger events are rejected when
	 * published. At most sse.buffer.max-bytes.
	 */
	@DataSizeUnit(DataUnit.KILOBYTES)
	private DataSize maxEventSize = DataSize.ofMegabytes(1);

	/**
	 * How long a single write to a client may stay blocked (the client is not reading)
	 * before its stream is closed as slow.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration writeTimeout = Duration.ofSeconds(10);

	/**
	 * Name of this node in stream events and presence. Defaults to the host name
	 * (HOSTNAME, the pod's name on Kubernetes) and the process id.
	 */
	private @Nullable String nodeName;

	private final Web web = new Web();

	private final Buffer buffer = new Buffer();

	private final Writer writer = new Writer();

	private final Heartbeat heartbeat = new Heartbeat();

	private final Connection connection = new Connection();

	private final Replay replay = new Replay();

	private final Shutdown shutdown = new Shutdown();

	private final Limits limits = new Limits();

	private final Presence presence = new Presence();

	private final Security security = new Security();

	private final Backplane backplane = new Backplane();

	/**
	 * Whether to enable the SSE engine and endpoints.
	 * @return the value
	 */
	public boolean isEnabled() {
		return this.enabled;
	}

	/**
	 * Whether to enable the SSE engine and endpoints.
	 * @param enabled the value
	 */
	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	/**
	 * Largest encoded event that may be published; larger events are rejected when published.
	 * @return the value
	 */
	public DataSize getMaxEventSize() {
		return this.maxEventSize;
	}

	/**
	 * Largest encoded event that may be published; larger events are rejected when published.
	 * @param maxEventSize the value
	 */
	public void setMaxEventSize(DataSize maxEventSize) {
		this.maxEventSize = maxEventSize;
	}

	/**
	 * How long a single write to a client may stay blocked (the client is not reading) before its stream is
	 * closed as slow.
	 * @return the value
	 */
	public Duration getWriteTimeout() {
		return this.writeTimeout;
	}

	/**
	 * How long a single write to a client may stay blocked (the client is not reading) before its stream is
	 * closed as slow.
	 * @param writeTimeout the value
	 */
	public void setWriteTimeout(Duration writeTimeout) {
		this.writeTimeout = writeTimeout;
	}

	/**
	 * Name of this node in stream events and presence.
	 * @return the value
	 */
	public @Nullable String getNodeName() {
		return this.nodeName;
	}

	/**
	 * Name of this node in stream events and presence.
	 * @param nodeName the value
	 */
	public void setNodeName(@Nullable String nodeName) {
		this.nodeName = nodeName;
	}

	/**
	 * The node's name: {@code sse.node-name}, or the host name and process id.
	 * @return the name
	 */
	public String effectiveNodeName() {
		if (StringUtils.hasText(this.nodeName)) {
			return this.nodeName;
		}
		String host = System.getenv("HOSTNAME");
		if (!StringUtils.hasText(host)) {
			try {
				host = InetAddress.getLocalHost().getHostName();
			}
			catch (IOException ex) {
				host = "localhost";
			}
		}
		return host + ":" + ProcessHandle.current().pid();
	}

	/**
	 * The {@code sse.web.*} settings.
	 * @return the value
	 */
	public Web getWeb() {
		return this.web;
	}

	/**
	 * The {@code sse.buffer.*} settings.
	 * @return the value
	 */
	public Buffer getBuffer() {
		return this.buffer;
	}

	/**
	 * The {@code sse.writer.*} settings.
	 * @return the value
	 */
	public Writer getWriter() {
		return this.writer;
	}

	/**
	 * The {@code sse.heartbeat.*} settings.
	 * @return the value
	 */
	public Heartbeat getHeartbeat() {
		return this.heartbeat;
	}

	/**
	 * The {@code sse.connection.*} settings.
	 * @return the value
	 */
	public Connection getConnection() {
		return this.connection;
	}

	/**
	 * The {@code sse.replay.*} settings.
	 * @return the value
	 */
	public Replay getReplay() {
		return this.replay;
	}

	/**
	 * The {@code sse.shutdown.*} settings.
	 * @return the value
	 */
	public Shutdown getShutdown() {
		return this.shutdown;
	}

	/**
	 * The {@code sse.limits.*} settings.
	 * @return the value
	 */
	public Limits getLimits() {
		return this.limits;
	}

	/**
	 * The {@code sse.presence.*} settings.
	 * @return the value
	 */
	public Presence getPresence() {
		return this.presence;
	}

	/**
	 * The {@code sse.security.*} settings.
	 * @return the value
	 */
	public Security getSecurity() {
		return this.security;
	}

	/**
	 * The {@code sse.backplane.*} settings.
	 * @return the value
	 */
	public Backplane getBackplane() {
		return this.backplane;
	}

	/**
	 * HTTP endpoints.
	 */
	public static class Web {

		/**
		 * Create an instance with the defaults.
		 */
		public Web() {
		}

		/**
		 * Path of the stream endpoint; the publish endpoint is this path plus /events.
		 */
		private String path = "/api/v1/sse";

		/**
		 * Most topics one stream may request.
		 */
		private int maxTopics = 20;

		/**
		 * Whether each stream starts with an sse.connected event carrying its client id
		 * and topics.
		 */
		private boolean connectedEvent = true;

		/**
		 * Whether to swap Tomcat's per-request character buffers (32 KB), which a stream
		 * never uses, for small ones while the stream is open; they are restored before
		 * Tomcat reuses the request. Other containers are left as they are.
		 */
		private boolean trimContainerBuffers = true;

		private final Publish publish = new Publish();

		private final Cors cors = new Cors();

		/**
		 * Path of the stream endpoint; the publish endpoint is this path plus /events.
		 * @return the value
		 */
		public String getPath() {
			return this.path;
		}

		/**
		 * Path of the stream endpoint; the publish endpoint is this path plus /events.
		 * @param path the value
		 */
		public void setPath(String path) {
			this.path = path;
		}

		/**
		 * Most topics one stream may request.
		 * @return the value
		 */
		public int getMaxTopics() {
			return this.maxTopics;
		}

		/**
		 * Most topics one stream may request.
		 * @param maxTopics the value
		 */
		public void setMaxTopics(int maxTopics) {
			this.maxTopics = maxTopics;
		}

		/**
		 * Whether each stream starts with an sse.connected event carrying its client id and topics.
		 * @return the value
		 */
		public boolean isConnectedEvent() {
			return this.connectedEvent;
		}

		/**
		 * Whether each stream starts with an sse.connected event carrying its client id and topics.
		 * @param connectedEvent the value
		 */
		public void setConnectedEvent(boolean connectedEvent) {
			this.connectedEvent = connectedEvent;
		}

		/**
		 * Whether to swap Tomcat's per-request character buffers (32 KB), which a stream never uses, for small
		 * ones while the stream is open; they are restored before Tomcat reuses the request.
		 * @return the value
		 */
		public boolean isTrimContainerBuffers() {
			return this.trimContainerBuffers;
		}

		/**
		 * Whether to swap Tomcat's per-request character buffers (32 KB), which a stream never uses, for small
		 * ones while the stream is open; they are restored before Tomcat reuses the request.
		 * @param trimContainerBuffers the value
		 */
		public void setTrimContainerBuffers(boolean trimContainerBuffers) {
			this.trimContainerBuffers = trimContainerBuffers;
		}

		/**
		 * The {@code sse.web.publish.*} settings.
		 * @return the value
		 */
		public Publish getPublish() {
			return this.publish;
		}

		/**
		 * The {@code sse.web.cors.*} settings.
		 * @return the value
		 */
		public Cors getCors() {
			return this.cors;
		}

	}

	/**
	 * HTTP publish endpoint.
	 */
	public static class Publish {

		/**
		 * Create an instance with the defaults.
		 */
		public Publish() {
		}

		/**
		 * Whether to expose POST {sse.web.path}/events for publishing over HTTP. Unset: on
		 * when Spring Security is active (it then requires sse.security.publish-authority),
		 * off otherwise, since anyone who can reach it could publish to any topic.
		 */
		private @Nullable Boolean enabled;

		/**
		 * Whether to expose POST {sse.web.path}/events for publishing over HTTP.
		 * @return the value
		 */
		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		/**
		 * Whether to expose POST {sse.web.path}/events for publishing over HTTP.
		 * @param enabled the value
		 */
		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Cross-origin access to the SSE endpoints.
	 */
	public static class Cors {

		/**
		 * Create an instance with the defaults.
		 */
		public Cors() {
		}

		/**
		 * Origins allowed to open streams and publish from another site, for example
		 * https://app.example.com. Empty: no cross-origin access.
		 */
		private List<String> allowedOrigins = new ArrayList<>();

		/**
		 * Whether cross-origin requests may carry cookies (EventSource withCredentials).
		 * Requires explicit origins, not '*'.
		 */
		private boolean allowCredentials;

		/**
		 * How long browsers may cache a preflight answer.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration maxAge = Duration.ofMinutes(30);

		/**
		 * Origins allowed to open streams and publish from another site, for example https://app.example.com.
		 * @return the value
		 */
		public List<String> getAllowedOrigins() {
			return this.allowedOrigins;
		}

		/**
		 * Origins allowed to open streams and publish from another site, for example https://app.example.com.
		 * @param allowedOrigins the value
		 */
		public void setAllowedOrigins(List<String> allowedOrigins) {
			this.allowedOrigins = allowedOrigins;
		}

		/**
		 * Whether cross-origin requests may carry cookies (EventSource withCredentials).
		 * @return the value
		 */
		public boolean isAllowCredentials() {
			return this.allowCredentials;
		}

		/**
		 * Whether cross-origin requests may carry cookies (EventSource withCredentials).
		 * @param allowCredentials the value
		 */
		public void setAllowCredentials(boolean allowCredentials) {
			this.allowCredentials = allowCredentials;
		}

		/**
		 * How long browsers may cache a preflight answer.
		 * @return the value
		 */
		public Duration getMaxAge() {
			return this.maxAge;
		}

		/**
		 * How long browsers may cache a preflight answer.
		 * @param maxAge the value
		 */
		public void setMaxAge(Duration maxAge) {
			this.maxAge = maxAge;
		}

	}

	/**
	 * Per-client queue.
	 */
	public static class Buffer {

		/**
		 * Create an instance with the defaults.
		 */
		public Buffer() {
		}

		/**
		 * Most events waiting for one client; beyond it the overflow policy applies.
		 */
		private int maxEvents = 1000;

		/**
		 * Most bytes waiting for one client; beyond it the overflow policy applies.
		 */
		@DataSizeUnit(DataUnit.KILOBYTES)
		private DataSize maxBytes = DataSize.ofMegabytes(1);

		/**
		 * What happens when a client's queue is full: catch-up (the stream reads what it
		 * missed from the history, then rejoins the live flow), drop-oldest or drop-newest
		 * (with an sse.reset notice before the gap), or disconnect (the client reconnects
		 * and resumes from the history).
		 */
		private OverflowPolicy overflowPolicy = OverflowPolicy.CATCH_UP;

		/**
		 * Most events waiting for one client; beyond it the overflow policy applies.
		 * @return the value
		 */
		public int getMaxEvents() {
			return this.maxEvents;
		}

		/**
		 * Most events waiting for one client; beyond it the overflow policy applies.
		 * @param maxEvents the value
		 */
		public void setMaxEvents(int maxEvents) {
			this.maxEvents = maxEvents;
		}

		/**
		 * Most bytes waiting for one client; beyond it the overflow policy applies.
		 * @return the value
		 */
		public DataSize getMaxBytes() {
			return this.maxBytes;
		}

		/**
		 * Most bytes waiting for one client; beyond it the overflow policy applies.
		 * @param maxBytes the value
		 */
		public void setMaxBytes(DataSize maxBytes) {
			this.maxBytes = maxBytes;
		}

		/**
		 * What happens when a client's queue is full: catch-up (the stream reads what it missed from the
		 * history, then rejoins the live flow), drop-oldest or drop-newest (with an sse.reset notice before the
		 * gap), or disconnect (the client reconnects and resumes from the history).
		 * @return the value
		 */
		public OverflowPolicy getOverflowPolicy() {
			return this.overflowPolicy;
		}

		/**
		 * What happens when a client's queue is full: catch-up (the stream reads what it missed from the
		 * history, then rejoins the live flow), drop-oldest or drop-newest (with an sse.reset notice before the
		 * gap), or disconnect (the client reconnects and resumes from the history).
		 * @param overflowPolicy the value
		 */
		public void setOverflowPolicy(OverflowPolicy overflowPolicy) {
			this.overflowPolicy = overflowPolicy;
		}

	}

	/**
	 * Threads that write to clients.
	 */
	public static class Writer {

		/**
		 * Create an instance with the defaults.
		 */
		public Writer() {
		}

		/**
		 * Whether the writers are virtual threads (Java 21+). Unset: follow
		 * spring.threads.virtual.enabled.
		 */
		private @Nullable Boolean virtualThreads;

		/**
		 * Writer threads. Unset: the number of processors, at least 2.
		 */
		private @Nullable Integer threads;

		/**
		 * Ceiling of platform writer threads, including the replacements started while
		 * writers are blocked on clients that do not read.
		 */
		private int maxThreads = 64;

		/**
		 * Most bytes gathered into one write (plus at most one event).
		 */
		@DataSizeUnit(DataUnit.KILOBYTES)
		private DataSize maxBatchSize = DataSize.ofKilobytes(64);

		/**
		 * Whether to write on virtual threads (Java 21+).
		 * @return the value
		 */
		public @Nullable Boolean getVirtualThreads() {
			return this.virtualThreads;
		}

		/**
		 * Whether to write on virtual threads (Java 21+).
		 * @param virtualThreads the value
		 */
		public void setVirtualThreads(@Nullable Boolean virtualThreads) {
			this.virtualThreads = virtualThreads;
		}

		/**
		 * Writer threads.
		 * @return the value
		 */
		public @Nullable Integer getThreads() {
			return this.threads;
		}

		/**
		 * Writer threads.
		 * @param threads the value
		 */
		public void setThreads(@Nullable Integer threads) {
			this.threads = threads;
		}

		/**
		 * Ceiling of platform writer threads, including the replacements started while writers are blocked on
		 * clients that do not read.
		 * @return the value
		 */
		public int getMaxThreads() {
			return this.maxThreads;
		}

		/**
		 * Ceiling of platform writer threads, including the replacements started while writers are blocked on
		 * clients that do not read.
		 * @param maxThreads the value
		 */
		public void setMaxThreads(int maxThreads) {
			this.maxThreads = maxThreads;
		}

		/**
		 * Most bytes gathered into one write (plus at most one event).
		 * @return the value
		 */
		public DataSize getMaxBatchSize() {
			return this.maxBatchSize;
		}

		/**
		 * Most bytes gathered into one write (plus at most one event).
		 * @param maxBatchSize the value
		 */
		public void setMaxBatchSize(DataSize maxBatchSize) {
			this.maxBatchSize = maxBatchSize;
		}

		int effectiveThreads() {
			return (this.threads != null) ? this.threads : Math.max(2, Runtime.getRuntime().availableProcessors());
		}

	}

	/**
	 * Heartbeats keep idle streams alive through proxies and detect dead clients.
	 */
	public static class Heartbeat {

		/**
		 * Create an instance with the defaults.
		 */
		public Heartbeat() {
		}

		/**
		 * How long a stream may stay quiet before a heartbeat is sent.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration interval = Duration.ofSeconds(15);

		/**
		 * What a heartbeat is: comment (invisible to the page) or event (an event named
		 * heartbeat with a JSON timestamp).
		 */
		private HeartbeatMode mode = HeartbeatMode.COMMENT;

		/**
		 * How long a stream may stay quiet before a heartbeat is sent.
		 * @return the value
		 */
		public Duration getInterval() {
			return this.interval;
		}

		/**
		 * How long a stream may stay quiet before a heartbeat is sent.
		 * @param interval the value
		 */
		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		/**
		 * What a heartbeat is: comment (invisible to the page) or event (an event named heartbeat with a JSON
		 * timestamp).
		 * @return the value
		 */
		public HeartbeatMode getMode() {
			return this.mode;
		}

		/**
		 * What a heartbeat is: comment (invisible to the page) or event (an event named heartbeat with a JSON
		 * timestamp).
		 * @param mode the value
		 */
		public void setMode(HeartbeatMode mode) {
			this.mode = mode;
		}

	}

	/**
	 * Stream lifetime and reconnection.
	 */
	public static class Connection {

		/**
		 * Create an instance with the defaults.
		 */
		public Connection() {
		}

		/**
		 * How long a stream stays open before the server ends it with a retry hint; the
		 * client reconnects and resumes with Last-Event-ID, losing nothing.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration maxLifetime = Duration.ofMinutes(30);

		/**
		 * Fraction (0 to 0.5) by which each stream's lifetime is shortened at random, so
		 * that streams opened together do not all reconnect together.
		 */
		private double lifetimeJitter = 0.1;

		/**
		 * Reconnection delay sent to clients (retry: field).
		 */
		@DurationUnit(ChronoUnit.MILLIS)
		private Duration retry = Duration.ofSeconds(3);

		/**
		 * How long a stream stays open before the server ends it with a retry hint; the client reconnects and
		 * resumes with Last-Event-ID, losing nothing.
		 * @return the value
		 */
		public Duration getMaxLifetime() {
			return this.maxLifetime;
		}

		/**
		 * How long a stream stays open before the server ends it with a retry hint; the client reconnects and
		 * resumes with Last-Event-ID, losing nothing.
		 * @param maxLifetime the value
		 */
		public void setMaxLifetime(Duration maxLifetime) {
			this.maxLifetime = maxLifetime;
		}

		/**
		 * Fraction (0 to 0.5) by which each stream's lifetime is shortened at random, so that streams opened
		 * together do not all reconnect together.
		 * @return the value
		 */
		public double getLifetimeJitter() {
			return this.lifetimeJitter;
		}

		/**
		 * Fraction (0 to 0.5) by which each stream's lifetime is shortened at random, so that streams opened
		 * together do not all reconnect together.
		 * @param lifetimeJitter the value
		 */
		public void setLifetimeJitter(double lifetimeJitter) {
			this.lifetimeJitter = lifetimeJitter;
		}

		/**
		 * Reconnection delay sent to clients (retry: field).
		 * @return the value
		 */
		public Duration getRetry() {
			return this.retry;
		}

		/**
		 * Reconnection delay sent to clients (retry: field).
		 * @param retry the value
		 */
		public void setRetry(Duration retry) {
			this.retry = retry;
		}

	}

	/**
	 * History kept for clients that reconnect with Last-Event-ID.
	 */
	public static class Replay {

		/**
		 * Create an instance with the defaults.
		 */
		public Replay() {
		}

		/**
		 * Whether to keep an in-memory history, from which reconnecting clients are replayed
		 * what they missed and streams that fall behind catch up. Off: a client that missed
		 * events gets sse.reset. With the Redis backplane the Redis Stream is the history.
		 */
		private boolean enabled = true;

		/**
		 * Most events kept in the history.
		 */
		private int maxEvents = 1000;

		/**
		 * Most bytes of encoded events kept in the history; the oldest leave first. At
		 * least sse.max-event-size.
		 */
		@DataSizeUnit(DataUnit.KILOBYTES)
		private DataSize maxBytes = DataSize.ofMegabytes(64);

		/**
		 * How long an event stays in the history.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration maxAge = Duration.ofMinutes(5);

		/**
		 * Whether to keep an in-memory history, from which reconnecting clients are replayed what they missed
		 * and streams that fall behind catch up.
		 * @return the value
		 */
		public boolean isEnabled() {
			return this.enabled;
		}

		/**
		 * Whether to keep an in-memory history, from which reconnecting clients are replayed what they missed
		 * and streams that fall behind catch up.
		 * @param enabled the value
		 */
		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		/**
		 * Most events kept in the history.
		 * @return the value
		 */
		public int getMaxEvents() {
			return this.maxEvents;
		}

		/**
		 * Most events kept in the history.
		 * @param maxEvents the value
		 */
		public void setMaxEvents(int maxEvents) {
			this.maxEvents = maxEvents;
		}

		/**
		 * Most bytes of encoded events kept in the history; the oldest leave first.
		 * @return the value
		 */
		public DataSize getMaxBytes() {
			return this.maxBytes;
		}

		/**
		 * Most bytes of encoded events kept in the history; the oldest leave first.
		 * @param maxBytes the value
		 */
		public void setMaxBytes(DataSize maxBytes) {
			this.maxBytes = maxBytes;
		}

		/**
		 * How long an event stays in the history.
		 * @return the value
		 */
		public Duration getMaxAge() {
			return this.maxAge;
		}

		/**
		 * How long an event stays in the history.
		 * @param maxAge the value
		 */
		public void setMaxAge(Duration maxAge) {
			this.maxAge = maxAge;
		}

	}

	/**
	 * Graceful shutdown.
	 */
	public static class Shutdown {

		/**
		 * Create an instance with the defaults.
		 */
		public Shutdown() {
		}

		/**
		 * How long open streams get to flush their queues at shutdown before they are
		 * closed.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration timeout = Duration.ofSeconds(5);

		/**
		 * How long open streams get to flush their queues at shutdown before they are closed.
		 * @return the value
		 */
		public Duration getTimeout() {
			return this.timeout;
		}

		/**
		 * How long open streams get to flush their queues at shutdown before they are closed.
		 * @param timeout the value
		 */
		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * Presence: who is subscribed to which topic, on every node with Redis.
	 */
	public static class Presence {

		/**
		 * How long a closed stream still counts as present, so that a page that reloads or a
		 * stream that reconnects is neither a leave nor a join.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration leaveDelay = Duration.ofSeconds(5);

		/**
		 * Most users listed per topic by SseService#presence.
		 */
		private int maxUsers = 100;

		/**
		 * Topics whose subscribers are told when a user joins or leaves them, as
		 * sse.presence events; '*' matches any characters (chat:*). Reserved topics never.
		 */
		private List<String> notifyTopics = new ArrayList<>();

		/**
		 * With Redis, how long a node's presence lasts without a heartbeat (one every third
		 * of it): a node that dies drops out of presence after this.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration nodeTimeout = Duration.ofSeconds(15);

		/**
		 * Create an instance with the defaults.
		 */
		public Presence() {
		}

		/**
		 * How long a closed stream still counts as present.
		 * @return the value
		 */
		public Duration getLeaveDelay() {
			return this.leaveDelay;
		}

		/**
		 * How long a closed stream still counts as present.
		 * @param leaveDelay the value
		 */
		public void setLeaveDelay(Duration leaveDelay) {
			this.leaveDelay = leaveDelay;
		}

		/**
		 * Most users listed per topic.
		 * @return the value
		 */
		public int getMaxUsers() {
			return this.maxUsers;
		}

		/**
		 * Most users listed per topic.
		 * @param maxUsers the value
		 */
		public void setMaxUsers(int maxUsers) {
			this.maxUsers = maxUsers;
		}

		/**
		 * Topics whose joins and leaves are announced.
		 * @return the value
		 */
		public List<String> getNotifyTopics() {
			return this.notifyTopics;
		}

		/**
		 * Topics whose joins and leaves are announced.
		 * @param notifyTopics the value
		 */
		public void setNotifyTopics(List<String> notifyTopics) {
			this.notifyTopics = notifyTopics;
		}

		/**
		 * How long a node's presence lasts without a heartbeat.
		 * @return the value
		 */
		public Duration getNodeTimeout() {
			return this.nodeTimeout;
		}

		/**
		 * How long a node's presence lasts without a heartbeat.
		 * @param nodeTimeout the value
		 */
		public void setNodeTimeout(Duration nodeTimeout) {
			this.nodeTimeout = nodeTimeout;
		}

	}

	/**
	 * Connection limits.
	 */
	public static class Limits {

		/**
		 * Create an instance with the defaults.
		 */
		public Limits() {
		}

		/**
		 * Most streams open at once on this node. A client beyond it gets 200, a jittered
		 * retry hint and an sse.overloaded event, so its browser comes back later.
		 */
		private int maxConnections = 10_000;

		/**
		 * Most streams one authenticated user may have open at once on this node (tabs,
		 * devices).
		 */
		private int maxConnectionsPerUser = 5;

		/**
		 * What happens to a user's stream beyond the per-user limit: reject (429 with
		 * Retry-After) or evict-oldest (the oldest stream gets an sse.evicted event telling
		 * its page not to reconnect).
		 */
		private PerUserLimitPolicy perUserPolicy = PerUserLimitPolicy.REJECT;

		/**
		 * Most streams open at once on this node.
		 * @return the value
		 */
		public int getMaxConnections() {
			return this.maxConnections;
		}

		/**
		 * Most streams open at once on this node.
		 * @param maxConnections the value
		 */
		public void setMaxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
		}

		/**
		 * Most streams one authenticated user may have open at once on this node (tabs, devices).
		 * @return the value
		 */
		public int getMaxConnectionsPerUser() {
			return this.maxConnectionsPerUser;
		}

		/**
		 * Most streams one authenticated user may have open at once on this node (tabs, devices).
		 * @param maxConnectionsPerUser the value
		 */
		public void setMaxConnectionsPerUser(int maxConnectionsPerUser) {
			this.maxConnectionsPerUser = maxConnectionsPerUser;
		}

		/**
		 * What happens to a user's stream beyond the per-user limit: reject (429 with Retry-After) or evict-
		 * oldest (the oldest stream gets an sse.evicted event telling its page not to reconnect).
		 * @return the value
		 */
		public PerUserLimitPolicy getPerUserPolicy() {
			return this.perUserPolicy;
		}

		/**
		 * What happens to a user's stream beyond the per-user limit: reject (429 with Retry-After) or evict-
		 * oldest (the oldest stream gets an sse.evicted event telling its page not to reconnect).
		 * @param perUserPolicy the value
		 */
		public void setPerUserPolicy(PerUserLimitPolicy perUserPolicy) {
			this.perUserPolicy = perUserPolicy;
		}

	}

	/**
	 * How events reach every node.
	 */
	public static class Backplane {

		/**
		 * Create an instance with the defaults.
		 */
		public Backplane() {
		}

		/**
		 * local (this node only, history in memory) or redis (every node, history in a
		 * Redis Stream; needs Spring Data Redis and a RedisConnectionFactory).
		 */
		private BackplaneType type = BackplaneType.LOCAL;

		private final Redis redis = new Redis();

		/**
		 * local (this node only, history in memory) or redis (every node, history in a Redis Stream; needs
		 * Spring Data Redis and a RedisConnectionFactory).
		 * @return the value
		 */
		public BackplaneType getType() {
			return this.type;
		}

		/**
		 * local (this node only, history in memory) or redis (every node, history in a Redis Stream; needs
		 * Spring Data Redis and a RedisConnectionFactory).
		 * @param type the value
		 */
		public void setType(BackplaneType type) {
			this.type = type;
		}

		/**
		 * The {@code sse.backplane.redis.*} settings.
		 * @return the value
		 */
		public Redis getRedis() {
			return this.redis;
		}

	}

	/**
	 * Backplane implementations.
	 */
	public enum BackplaneType {

		/** This node only. */
		LOCAL,

		/** Every node, through a Redis Stream. */
		REDIS

	}

	/**
	 * The Redis backplane.
	 */
	public static class Redis {

		/**
		 * Create an instance with the defaults.
		 */
		public Redis() {
		}

		/**
		 * Prefix of the Redis keys; nodes that share it share events (user events
		 * included), so two applications on one Redis need different prefixes. Defaults to
		 * "sse:" followed by spring.application.name, or "sse" when that is not set. The
		 * keys are {prefix}:events and {prefix}:generation (one Redis Cluster slot).
		 */
		private @Nullable String keyPrefix;

		/**
		 * Most events kept in the stream for replay (approximately: Redis trims whole
		 * nodes).
		 */
		private long historyLength = 10_000;

		/**
		 * How long an event stays in the stream for replay.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration historyAge = Duration.ofMinutes(5);

		/**
		 * Most stream entries each node reads at once; fewer when sse.max-event-size is
		 * large, so that one read never fetches more than 16 MB.
		 */
		private int readBatchSize = 500;

		/**
		 * How long one read waits for new entries before it is issued again.
		 */
		@DurationUnit(ChronoUnit.MILLIS)
		private Duration pollTimeout = Duration.ofSeconds(1);

		/**
		 * Prefix of the Redis keys; nodes that share it share events (user events included), so two applications
		 * on one Redis need different prefixes.
		 * @return the value
		 */
		public @Nullable String getKeyPrefix() {
			return this.keyPrefix;
		}

		/**
		 * Prefix of the Redis keys; nodes that share it share events (user events included), so two applications
		 * on one Redis need different prefixes.
		 * @param keyPrefix the value
		 */
		public void setKeyPrefix(@Nullable String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		/**
		 * Most events kept in the stream for replay (approximately: Redis trims whole nodes).
		 * @return the value
		 */
		public long getHistoryLength() {
			return this.historyLength;
		}

		/**
		 * Most events kept in the stream for replay (approximately: Redis trims whole nodes).
		 * @param historyLength the value
		 */
		public void setHistoryLength(long historyLength) {
			this.historyLength = historyLength;
		}

		/**
		 * How long an event stays in the stream for replay.
		 * @return the value
		 */
		public Duration getHistoryAge() {
			return this.historyAge;
		}

		/**
		 * How long an event stays in the stream for replay.
		 * @param historyAge the value
		 */
		public void setHistoryAge(Duration historyAge) {
			this.historyAge = historyAge;
		}

		/**
		 * Most stream entries each node reads at once; fewer when sse.max-event-size is large, so that one read
		 * never fetches more than 16 MB.
		 * @return the value
		 */
		public int getReadBatchSize() {
			return this.readBatchSize;
		}

		/**
		 * Most stream entries each node reads at once; fewer when sse.max-event-size is large, so that one read
		 * never fetches more than 16 MB.
		 * @param readBatchSize the value
		 */
		public void setReadBatchSize(int readBatchSize) {
			this.readBatchSize = readBatchSize;
		}

		/**
		 * How long one read waits for new entries before it is issued again.
		 * @return the value
		 */
		public Duration getPollTimeout() {
			return this.pollTimeout;
		}

		/**
		 * How long one read waits for new entries before it is issued again.
		 * @param pollTimeout the value
		 */
		public void setPollTimeout(Duration pollTimeout) {
			this.pollTimeout = pollTimeout;
		}

	}

	/**
	 * Who may subscribe to what and who may publish.
	 */
	public static class Security {

		/**
		 * Create an instance with the defaults.
		 */
		public Security() {
		}

		/**
		 * Whether clients that are not authenticated may open streams (with public topics
		 * and their own client and session topics only). Unset: no with Spring Security
		 * (they get 401), yes without it.
		 */
		private @Nullable Boolean anonymous;

		/**
		 * Principal attribute or JWT claim that holds the user id (for example sub or
		 * preferred_username). Unset: the authentication's name.
		 */
		private @Nullable String userIdAttribute;

		/**
		 * Whether an authenticated user's streams receive their user:<id> topic without
		 * asking for it.
		 */
		private boolean subscribeUserTopic = true;

		/**
		 * Topics anyone allowed to open a stream may subscribe to; '*' matches any
		 * characters (news.*, public:*). Unset: every topic without Spring Security, none
		 * with it. Reserved topics (user:, session:, client:) are only ever their owner's.
		 */
		private @Nullable List<String> allowedTopics;

		/**
		 * Authority required to publish over HTTP when Spring Security is active.
		 */
		private String publishAuthority = "SSE_PUBLISH";

		/**
		 * Whether the publish endpoint is exempt from CSRF tokens. It only accepts
		 * application/json, which a cross-site form cannot send without a CORS preflight,
		 * and it requires the publish authority.
		 */
		private boolean csrfExemptPublish = true;

		/**
		 * Whether a stream request may carry its bearer token in the access_token query
		 * parameter (an EventSource cannot send headers), when the application is an
		 * OAuth2 resource server.
		 */
		private boolean bearerTokenQueryParameter = true;

		/**
		 * Whether clients that are not authenticated may open streams (with public topics and their own client
		 * and session topics only).
		 * @return the value
		 */
		public @Nullable Boolean getAnonymous() {
			return this.anonymous;
		}

		/**
		 * Whether clients that are not authenticated may open streams (with public topics and their own client
		 * and session topics only).
		 * @param anonymous the value
		 */
		public void setAnonymous(@Nullable Boolean anonymous) {
			this.anonymous = anonymous;
		}

		/**
		 * Principal attribute or JWT claim that holds the user id (for example sub or preferred_username).
		 * @return the value
		 */
		public @Nullable String getUserIdAttribute() {
			return this.userIdAttribute;
		}

		/**
		 * Principal attribute or JWT claim that holds the user id (for example sub or preferred_username).
		 * @param userIdAttribute the value
		 */
		public void setUserIdAttribute(@Nullable String userIdAttribute) {
			this.userIdAttribute = userIdAttribute;
		}

		/**
		 * Whether an authenticated user's streams receive their {@code user:<id>} topic without asking for it.
		 * @return the value
		 */
		public boolean isSubscribeUserTopic() {
			return this.subscribeUserTopic;
		}

		/**
		 * Whether an authenticated user's streams receive their {@code user:<id>} topic without asking for it.
		 * @param subscribeUserTopic the value
		 */
		public void setSubscribeUserTopic(boolean subscribeUserTopic) {
			this.subscribeUserTopic = subscribeUserTopic;
		}

		/**
		 * Topics anyone allowed to open a stream may subscribe to; '*' matches any characters (news.*, public:*).
		 * @return the value
		 */
		public @Nullable List<String> getAllowedTopics() {
			return this.allowedTopics;
		}

		/**
		 * Topics anyone allowed to open a stream may subscribe to; '*' matches any characters (news.*, public:*).
		 * @param allowedTopics the value
		 */
		public void setAllowedTopics(@Nullable List<String> allowedTopics) {
			this.allowedTopics = allowedTopics;
		}

		/**
		 * Authority required to publish over HTTP when Spring Security is active.
		 * @return the value
		 */
		public String getPublishAuthority() {
			return this.publishAuthority;
		}

		/**
		 * Authority required to publish over HTTP when Spring Security is active.
		 * @param publishAuthority the value
		 */
		public void setPublishAuthority(String publishAuthority) {
			this.publishAuthority = publishAuthority;
		}

		/**
		 * Whether the publish endpoint is exempt from CSRF tokens.
		 * @return the value
		 */
		public boolean isCsrfExemptPublish() {
			return this.csrfExemptPublish;
		}

		/**
		 * Whether the publish endpoint is exempt from CSRF tokens.
		 * @param csrfExemptPublish the value
		 */
		public void setCsrfExemptPublish(boolean csrfExemptPublish) {
			this.csrfExemptPublish = csrfExemptPublish;
		}

		/**
		 * Whether a stream request may carry its bearer token in the access_token query parameter (an
		 * EventSource cannot send headers), when the application is an OAuth2 resource server.
		 * @return the value
		 */
		public boolean isBearerTokenQueryParameter() {
			return this.bearerTokenQueryParameter;
		}

		/**
		 * Whether a stream request may carry its bearer token in the access_token query parameter (an
		 * EventSource cannot send headers), when the application is an OAuth2 resource server.
		 * @param bearerTokenQueryParameter the value
		 */
		public void setBearerTokenQueryParameter(boolean bearerTokenQueryParameter) {
			this.bearerTokenQueryParameter = bearerTokenQueryParameter;
		}

	}

	@Override
	public boolean supports(Class<?> type) {
		return SseProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		SseProperties properties = (SseProperties) target;
		new SsePropertiesValidation(properties, errors, this.environment).validate();
	}

	/**
	 * Where the properties come from, to show rejected values as they were written.
	 * @param environment the environment
	 */
	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

}
