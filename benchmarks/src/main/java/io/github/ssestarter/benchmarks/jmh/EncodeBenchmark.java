package io.github.ssestarter.benchmarks.jmh;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.encode.DefaultSseEventEncoder;
import io.github.ssestarter.encode.SseFrame;

/**
 * Encoding one event into the bytes every recipient gets: the starter's encoder (text and
 * a JSON object) against the baselines users have, in the same run: string concatenation,
 * and Spring's {@code SseEmitter.event()} builder, which does not even produce bytes yet
 * (its message converters write each part later, once per recipient).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EncodeBenchmark {

	private DefaultSseEventEncoder encoder;

	private String text;

	private SseEvent textEvent;

	private SseEvent jsonEvent;

	@Setup
	public void setUp() {
		this.encoder = new DefaultSseEventEncoder(JsonMapper.builder().build());
		this.text = "x".repeat(100);
		this.textEvent = SseEvent.of("tick", this.text);
		this.jsonEvent = SseEvent.of("order", new Order(42, "shipped", "alice", 129.95));
	}

	@Benchmark
	public SseFrame starterText() {
		return this.encoder.encode(this.textEvent).withId("1-42");
	}

	@Benchmark
	public SseFrame starterJson() {
		return this.encoder.encode(this.jsonEvent).withId("1-42");
	}

	@Benchmark
	public byte[] baselineStringConcatenation() {
		return ("id: 1-42\nevent: tick\ndata: " + this.text + "\n\n").getBytes(StandardCharsets.UTF_8);
	}

	@Benchmark
	public Set<DataWithMediaType> baselineSseEmitterBuilder() {
		return SseEmitter.event().id("1-42").name("tick").data(this.text).build();
	}

	/** A typical JSON payload. */
	public record Order(long id, String status, String customer, double total) {
	}

}
