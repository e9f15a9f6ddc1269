package io.github.ssestarter.benchmarks.jmh;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.github.ssestarter.engine.CloseReason;
import io.github.ssestarter.engine.SseConnection;
import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.engine.SseStreamListener;
import io.github.ssestarter.events.SseStreamEventPublisher;
import io.github.ssestarter.presence.LocalPresenceStore;
import io.github.ssestarter.presence.NodePresence;
import io.github.ssestarter.presence.SsePresenceTracker;

/**
 * What a stream opening and closing costs the thread that opens and closes it, with
 * {@code connections} streams already open: an engine that tells nobody (the baseline)
 * against one that publishes lifecycle application events and tracks presence, as the
 * auto-configuration wires it, in the same run. The listeners' own threads do their work
 * apart; only their hand-over is on this path.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StreamLifecycleBenchmark {

	@Param({ "10000" })
	public int connections;

	private SseEngine bare;

	private SseEngine observed;

	private SseStreamEventPublisher events;

	private SsePresenceTracker presence;

	private final LongAdder published = new LongAdder();

	private int next;

	@Setup(Level.Trial)
	public void setUp() {
		this.bare = BenchmarkEngines.engine(this.connections * 2);
		this.events = new SseStreamEventPublisher((event) -> this.published.increment(), "benchmark");
		NodePresence node = new NodePresence();
		this.presence = new SsePresenceTracker(new LocalPresenceStore(node), node,
				new SsePresenceTracker.Settings(Duration.ZERO, 100, new String[0], Duration.ofSeconds(5)));
		this.observed = BenchmarkEngines.engine(this.connections * 2,
				SseStreamListener.all(List.of(this.events, this.presence)), this.presence);
		for (SseEngine engine : List.of(this.bare, this.observed)) {
			for (int i = 0; i < this.connections; i++) {
				engine.open(BenchmarkEngines.subscription("user-" + i, Set.of(BenchmarkEngines.TOPICS[i % 1000])),
						BenchmarkEngines.DISCARD);
			}
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.bare.close();
		this.observed.close();
		this.events.close();
		this.presence.close();
	}

	private SseConnection openAndClose(SseEngine engine) {
		this.next = (this.next + 1) % 50_000;
		SseConnection connection = engine.open(
				BenchmarkEngines.subscription("visitor-" + this.next, Set.of(BenchmarkEngines.TOPICS[this.next % 1000])),
				BenchmarkEngines.DISCARD);
		connection.close(CloseReason.CLIENT);
		return connection;
	}

	@Benchmark
	public SseConnection baselineNoListeners() {
		return openAndClose(this.bare);
	}

	@Benchmark
	public SseConnection withEventsAndPresence() {
		return openAndClose(this.observed);
	}

}
