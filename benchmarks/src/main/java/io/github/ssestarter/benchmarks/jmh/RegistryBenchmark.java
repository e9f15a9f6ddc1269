package io.github.ssestarter.benchmarks.jmh;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

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

import io.github.ssestarter.engine.SseConnection;
import io.github.ssestarter.engine.SseConnectionRegistry;
import io.github.ssestarter.engine.SseEngine;

/**
 * Looking up who gets an event, with {@code connections} streams spread over 1,000 topics
 * (each stream also on its own {@code user:} topic): the registry's topic and client
 * lookups against a plain {@link ConcurrentHashMap#get}, the floor, in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RegistryBenchmark {

	@Param({ "1000", "20000" })
	public int connections;

	private SseEngine engine;

	private SseConnectionRegistry registry;

	private final Map<String, Object> plain = new ConcurrentHashMap<>();

	private String clientId;

	private String[] userTopics;

	private int next;

	@Setup(Level.Trial)
	public void setUp() {
		this.engine = BenchmarkEngines.engine(this.connections);
		this.userTopics = new String[this.connections];
		for (int i = 0; i < this.connections; i++) {
			SseConnection connection = this.engine.open(
					BenchmarkEngines.subscription("user-" + i, Set.of("topic-" + (i % 1000))), BenchmarkEngines.DISCARD);
			this.clientId = connection.clientId();
			this.userTopics[i] = "user:user-" + i;
			this.plain.put("topic-" + (i % 1000), connection);
		}
		this.registry = this.engine.registry();
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.engine.close();
	}

	private String nextTopic() {
		this.next = (this.next + 1) % 1000;
		return BenchmarkEngines.TOPICS[this.next];
	}

	@Benchmark
	public Collection<SseConnection> topicSubscribers() {
		return this.registry.subscribers(nextTopic());
	}

	@Benchmark
	public Collection<SseConnection> userTopicSubscribers() {
		this.next = (this.next + 1) % this.connections;
		return this.registry.subscribers(this.userTopics[this.next]);
	}

	@Benchmark
	public SseConnection clientLookup() {
		return this.registry.connection(this.clientId);
	}

	@Benchmark
	public Object baselineConcurrentHashMapGet() {
		return this.plain.get(nextTopic());
	}

}
