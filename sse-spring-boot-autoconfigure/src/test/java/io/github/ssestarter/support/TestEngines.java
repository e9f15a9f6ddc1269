package io.github.ssestarter.support;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import tools.jackson.databind.json.JsonMapper;

import io.github.ssestarter.backplane.LocalSseBackplane;
import io.github.ssestarter.encode.DefaultSseEventEncoder;
import io.github.ssestarter.engine.HeartbeatMode;
import io.github.ssestarter.engine.OverflowPolicy;
import io.github.ssestarter.engine.PerUserLimitPolicy;
import io.github.ssestarter.engine.SseConnectionSettings;
import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.engine.SseEngineSettings;
import io.github.ssestarter.engine.SseSubscription;
import io.github.ssestarter.engine.SseWriterExecutor;
import io.github.ssestarter.store.InMemorySseEventStore;

/** Builds engines for tests, with defaults that a test changes one at a time. */
public final class TestEngines {

	public int maxQueuedEvents = 1000;

	public long maxQueuedBytes = 1 << 20;

	public OverflowPolicy policy = OverflowPolicy.CATCH_UP;

	public int maxBatchBytes = 64 * 1024;

	public Duration writeTimeout = Duration.ofSeconds(10);

	public Duration heartbeat = Duration.ofSeconds(15);

	public HeartbeatMode heartbeatMode = HeartbeatMode.COMMENT;

	public Duration maxLifetime = Duration.ofMinutes(30);

	public double jitter = 0;

	public int history = 1000;

	public long historyBytes = 64L << 20;

	public boolean connectedEvent = true;

	public int writerThreads = 2;

	public int maxWriterThreads = 8;

	public int maxConnections = 10_000;

	public int maxConnectionsPerUser = 5;

	public PerUserLimitPolicy perUserPolicy = PerUserLimitPolicy.REJECT;

	public io.github.ssestarter.engine.SseStreamListener streamListener = io.github.ssestarter.engine.SseStreamListener.NONE;

	public SseEngine build() {
		return build(true);
	}

	/** Wraps the engine's history, for tests that make it misbehave. */
	public java.util.function.UnaryOperator<io.github.ssestarter.store.SseEventStore> storeWrapper = (store) -> store;

	public SseEngine build(boolean subscribeUserTopic) {
		SseEngineSettings settings = new SseEngineSettings(
				new SseConnectionSettings(this.maxQueuedEvents, this.maxQueuedBytes, this.policy, this.maxBatchBytes),
				1 << 20, this.writeTimeout, this.heartbeat, this.heartbeatMode, this.maxLifetime, this.jitter,
				Duration.ofSeconds(3), this.connectedEvent, this.maxConnections, this.maxConnectionsPerUser,
				this.perUserPolicy, subscribeUserTopic);
		InMemorySseEventStore store = new InMemorySseEventStore(this.history, this.historyBytes, Duration.ofMinutes(5),
				Clock.systemUTC());
		io.github.ssestarter.store.SseEventStore history = this.storeWrapper.apply(store);
		return new SseEngine(settings, new DefaultSseEventEncoder(JsonMapper.builder().build()), history,
				new LocalSseBackplane(history), SseWriterExecutor.platformThreads(this.writerThreads, this.maxWriterThreads),
				this.streamListener, null);
	}

	public static SseSubscription topics(String... topics) {
		return new SseSubscription(null, null, Set.of(topics), null);
	}

}
