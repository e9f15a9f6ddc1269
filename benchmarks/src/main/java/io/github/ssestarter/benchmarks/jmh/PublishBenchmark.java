package io.github.ssestarter.benchmarks.jmh;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Set;
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

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.engine.SseEngine;

/**
 * Publishing one event to {@code connections} streams of one topic: the publisher's cost
 * (encode once, assign an id, append to the history, enqueue for every subscriber and wake
 * its writer), while the engine's writer threads drain into clients that take every write.
 * The baseline, in the same run, is the least a bounded fan-out can do: encode by string
 * concatenation and add the bytes to a bounded per-client queue, dropping the oldest when
 * full, with nothing draining and no locks.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PublishBenchmark {

	@Param({ "1", "100", "1000", "10000" })
	public int connections;

	private SseEngine engine;

	private SseEvent event;

	private String data;

	private ArrayDeque<byte[]>[] queues;

	private long sequence;

	@Setup(Level.Trial)
	@SuppressWarnings("unchecked")
	public void setUp() {
		this.engine = BenchmarkEngines.engine(this.connections);
		for (int i = 0; i < this.connections; i++) {
			this.engine.open(BenchmarkEngines.subscription(null, Set.of("bench")), BenchmarkEngines.DISCARD);
		}
		this.data = "x".repeat(100);
		this.event = SseEvent.ofData(this.data);
		this.queues = new ArrayDeque[this.connections];
		for (int i = 0; i < this.connections; i++) {
			this.queues[i] = new ArrayDeque<>();
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.engine.close();
	}

	@Benchmark
	public String starterPublish() {
		return this.engine.publish("bench", this.event);
	}

	@Benchmark
	public int baselineBoundedQueues() {
		byte[] frame = ("id: " + (++this.sequence) + "\ndata: " + this.data + "\n\n").getBytes(StandardCharsets.UTF_8);
		for (ArrayDeque<byte[]> queue : this.queues) {
			if (queue.size() == 1000) {
				queue.poll();
			}
			queue.add(frame);
		}
		return frame.length;
	}

}
