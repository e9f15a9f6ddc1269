package io.github.ssestarter.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

import io.github.ssestarter.engine.HeartbeatMode;
import io.github.ssestarter.engine.OverflowPolicy;

/**
 * Configuration of the SSE starter ({@code sse.*}). Every value is checked at start-up;
 * an invalid one stops the application with a message naming the property.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("sse")
public class SseProperties implements Validator {

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

	private final Web web = new Web();

	private final Buffer buffer = new Buffer();

	private final Writer writer = new Writer();

	private final Heartbeat heartbeat = new Heartbeat();

	private final Connection connection = new Connection();

	private final Replay replay = new Replay();

	private final Shutdown shutdown = new Shutdown();

	private final Limits limits = new Limits();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public DataSize getMaxEventSize() {
		return this.maxEventSize;
	}

	public void setMaxEventSize(DataSize maxEventSize) {
		this.maxEventSize = maxEventSize;
	}

	public Duration getWriteTimeout() {
		return this.writeTimeout;
	}

	public void setWriteTimeout(Duration writeTimeout) {
		this.writeTimeout = writeTimeout;
	}

	public Web getWeb() {
		return this.web;
	}

	public Buffer getBuffer() {
		return this.buffer;
	}

	public Writer getWriter() {
		return this.writer;
	}

	public Heartbeat getHeartbeat() {
		return this.heartbeat;
	}

	public Connection getConnection() {
		return this.connection;
	}

	public Replay getReplay() {
		return this.replay;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	public Limits getLimits() {
		return this.limits;
	}

	/**
	 * HTTP endpoints.
	 */
	public static class Web {

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

		private final Publish publish = new Publish();

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		public int getMaxTopics() {
			return this.maxTopics;
		}

		public void setMaxTopics(int maxTopics) {
			this.maxTopics = maxTopics;
		}

		public boolean isConnectedEvent() {
			return this.connectedEvent;
		}

		public void setConnectedEvent(boolean connectedEvent) {
			this.connectedEvent = connectedEvent;
		}

		public Publish getPublish() {
			return this.publish;
		}

	}

	/**
	 * HTTP publish endpoint.
	 */
	public static class Publish {

		/**
		 * Whether to expose POST {sse.web.path}/events for publishing over HTTP. Off by
		 * default: anyone who can reach it can publish to any topic unless it is secured.
		 */
		private boolean enabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Per-client queue.
	 */
	public static class Buffer {

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
		 * What happens to an event for a client whose queue is full: drop-oldest,
		 * drop-newest, or disconnect (the client reconnects and resumes from the history).
		 */
		private OverflowPolicy overflowPolicy = OverflowPolicy.DROP_OLDEST;

		public int getMaxEvents() {
			return this.maxEvents;
		}

		public void setMaxEvents(int maxEvents) {
			this.maxEvents = maxEvents;
		}

		public DataSize getMaxBytes() {
			return this.maxBytes;
		}

		public void setMaxBytes(DataSize maxBytes) {
			this.maxBytes = maxBytes;
		}

		public OverflowPolicy getOverflowPolicy() {
			return this.overflowPolicy;
		}

		public void setOverflowPolicy(OverflowPolicy overflowPolicy) {
			this.overflowPolicy = overflowPolicy;
		}

	}

	/**
	 * Threads that write to clients.
	 */
	public static class Writer {

		/**
		 * Whether to write on virtual threads (Java 21+). Unset: follow
		 * spring.threads.virtual.enabled.
		 */
		private @Nullable Boolean virtualThreads;

		/**
		 * Platform writer threads (when not on virtual threads). Unset: the number of
		 * processors, at least 2.
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

		public @Nullable Boolean getVirtualThreads() {
			return this.virtualThreads;
		}

		public void setVirtualThreads(@Nullable Boolean virtualThreads) {
			this.virtualThreads = virtualThreads;
		}

		public @Nullable Integer getThreads() {
			return this.threads;
		}

		public void setThreads(@Nullable Integer threads) {
			this.threads = threads;
		}

		public int getMaxThreads() {
			return this.maxThreads;
		}

		public void setMaxThreads(int maxThreads) {
			this.maxThreads = maxThreads;
		}

		public DataSize getMaxBatchSize() {
			return this.maxBatchSize;
		}

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
		 * How long a stream may stay quiet before a heartbeat is sent.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration interval = Duration.ofSeconds(15);

		/**
		 * What a heartbeat is: comment (invisible to the page) or event (an event named
		 * heartbeat with a JSON timestamp).
		 */
		private HeartbeatMode mode = HeartbeatMode.COMMENT;

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public HeartbeatMode getMode() {
			return this.mode;
		}

		public void setMode(HeartbeatMode mode) {
			this.mode = mode;
		}

	}

	/**
	 * Stream lifetime and reconnection.
	 */
	public static class Connection {

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

		public Duration getMaxLifetime() {
			return this.maxLifetime;
		}

		public void setMaxLifetime(Duration maxLifetime) {
			this.maxLifetime = maxLifetime;
		}

		public double getLifetimeJitter() {
			return this.lifetimeJitter;
		}

		public void setLifetimeJitter(double lifetimeJitter) {
			this.lifetimeJitter = lifetimeJitter;
		}

		public Duration getRetry() {
			return this.retry;
		}

		public void setRetry(Duration retry) {
			this.retry = retry;
		}

	}

	/**
	 * History kept for clients that reconnect with Last-Event-ID.
	 */
	public static class Replay {

		/**
		 * Whether to keep a history and replay missed events on reconnect.
		 */
		private boolean enabled = true;

		/**
		 * Most events kept in the history.
		 */
		private int maxEvents = 1000;

		/**
		 * How long an event stays in the history.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration maxAge = Duration.ofMinutes(5);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getMaxEvents() {
			return this.maxEvents;
		}

		public void setMaxEvents(int maxEvents) {
			this.maxEvents = maxEvents;
		}

		public Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(Duration maxAge) {
			this.maxAge = maxAge;
		}

	}

	/**
	 * Graceful shutdown.
	 */
	public static class Shutdown {

		/**
		 * How long open streams get to flush their queues at shutdown before they are
		 * closed.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration timeout = Duration.ofSeconds(5);

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * Connection limits.
	 */
	public static class Limits {

		/**
		 * Most streams open at once on this node. A client beyond it gets 200, a jittered
		 * retry hint and an sse.overloaded event, so its browser comes back later.
		 */
		private int maxConnections = 10_000;

		public int getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
		}

	}

	@Override
	public boolean supports(Class<?> type) {
		return SseProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		SseProperties properties = (SseProperties) target;
		new SsePropertiesValidation(properties, errors).validate();
	}

}
