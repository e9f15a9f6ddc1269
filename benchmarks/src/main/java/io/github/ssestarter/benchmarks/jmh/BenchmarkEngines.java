package io.github.ssestarter.benchmarks.jmh;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import io.github.ssestarter.backplane.LocalSseBackplane;
import io.github.ssestarter.encode.DefaultSseEventEncoder;
import io.github.ssestarter.engine.HeartbeatMode;
import io.github.ssestarter.engine.OverflowPolicy;
import io.github.ssestarter.engine.PerUserLimitPolicy;
import io.github.ssestarter.engine.SseConnectionSettings;
import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.engine.SseEngineSettings;
import io.github.ssestarter.engine.SsePresenceView;
import io.github.ssestarter.engine.SseStreamListener;
import io.github.ssestarter.engine.SseSubscription;
import io.github.ssestarter.engine.SseTransport;
import io.github.ssestarter.engine.SseWriterExecutor;
import io.github.ssestarter.store.InMemorySseEventStore;

/** Engines with the starter's default settings, for the microbenchmarks. */
final class BenchmarkEngines {

	static final String[] TOPICS = new String[1000];

	static {
		for (int i = 0; i < TOPICS.length; i++) {
			TOPICS[i] = "topic-" + i;
		}
	}

	/** A client that takes every write at once and throws the bytes away (counting them). */
	static final SseTransport DISCARD = new SseTransport() {

		private final LongAdder bytes = new LongAdder();

		@Override
		public void write(byte[] payload) {
			this.bytes.add(payload.length);
		}

		@Override
		public void complete() {
		}

	};

	private BenchmarkEngines() {
	}

	static SseEngine engine(int maxConnections) {
		return engine(maxConnections, SseStreamListener.NONE, null);
	}

	static SseEngine engine(int maxConnections, SseStreamListener listener, @Nullable SsePresenceView presence) {
		SseEngineSettings settings = new SseEngineSettings(
				new SseConnectionSettings(1000, 1 << 20, OverflowPolicy.CATCH_UP, 64 * 1024), 1 << 20,
				Duration.ofSeconds(10), Duration.ofSeconds(15), HeartbeatMode.COMMENT, Duration.ofMinutes(30), 0.1,
				Duration.ofSeconds(3), true, maxConnections, 5, PerUserLimitPolicy.REJECT, true);
		InMemorySseEventStore store = new InMemorySseEventStore(1000, 64L << 20, Duration.ofMinutes(5),
				Clock.systemUTC());
		return new SseEngine(settings, new DefaultSseEventEncoder(JsonMapper.builder().build()), store,
				new LocalSseBackplane(store), writers(), listener, presence);
	}

	/** What the auto-configuration picks unless virtual threads are enabled. */
	private static SseWriterExecutor writers() {
		return SseWriterExecutor.platformThreads(Math.max(2, Runtime.getRuntime().availableProcessors()), 64);
	}

	static SseSubscription subscription(String userId, Set<String> topics) {
		return new SseSubscription(userId, null, topics, null);
	}

}
