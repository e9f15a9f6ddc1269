package io.github.ssestarter.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import tools.jackson.databind.json.JsonMapper;

import io.github.ssestarter.backplane.LocalSseBackplane;
import io.github.ssestarter.encode.DefaultSseEventEncoder;
import io.github.ssestarter.store.InMemorySseEventStore;

/** Builds engines for tests, with defaults that a test changes one at a time. */
final class TestEngines {

	int maxQueuedEvents = 1000;

	long maxQueuedBytes = 1 << 20;

	OverflowPolicy policy = OverflowPolicy.DROP_OLDEST;

	int maxBatchBytes = 64 * 1024;

	Duration writeTimeout = Duration.ofSeconds(10);

	Duration heartbeat = Duration.ofSeconds(15);

	HeartbeatMode heartbeatMode = HeartbeatMode.COMMENT;

	Duration maxLifetime = Duration.ofMinutes(30);

	double jitter = 0;

	int history = 1000;

	boolean connectedEvent = true;

	int writerThreads = 2;

	int maxWriterThreads = 8;

	SseEngine build() {
		SseEngineSettings settings = new SseEngineSettings(
				new SseConnectionSettings(this.maxQueuedEvents, this.maxQueuedBytes, this.policy, this.maxBatchBytes),
				1 << 20, this.writeTimeout, this.heartbeat, this.heartbeatMode, this.maxLifetime, this.jitter,
				Duration.ofSeconds(3), this.connectedEvent, true);
		InMemorySseEventStore store = new InMemorySseEventStore(this.history, Duration.ofMinutes(5), Clock.systemUTC());
		return new SseEngine(settings, new DefaultSseEventEncoder(JsonMapper.builder().build()), store,
				new LocalSseBackplane(store), SseWriterExecutor.platformThreads(this.writerThreads, this.maxWriterThreads));
	}

	static SseSubscription topics(String... topics) {
		return new SseSubscription(null, null, Set.of(topics), null);
	}

}
