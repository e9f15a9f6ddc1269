package io.github.ssestarter.engine;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import io.github.ssestarter.autoconfigure.SseAutoConfiguration;
import io.github.ssestarter.autoconfigure.SseMetricsAutoConfiguration;
import io.github.ssestarter.metrics.SseMetrics;
import io.github.ssestarter.support.TestEngines;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery timer is the one meter the writers pay for on every delivery: bound, the
 * engine times each event; denied by a meter filter (what
 * {@code management.metrics.enable.sse.delivery.latency=false} installs), it does not time
 * at all.
 */
class LatencyRecorderBindingTest {

	private final SseEngine engine = new TestEngines().build();

	@AfterEach
	void shutdown() {
		this.engine.shutdown(Duration.ofSeconds(1));
		this.engine.close();
	}

	@Test
	void aBoundTimerReceivesTheLatencies() {
		MeterRegistry registry = new SimpleMeterRegistry();
		new SseMetrics(this.engine).bindTo(registry);
		assertThat(this.engine.counters().latencyRecorder()).isNotNull();
		this.engine.counters().latencyRecorder().accept(1_000_000);
		assertThat(registry.get("sse.delivery.latency").timer().count()).isEqualTo(1);
	}

	@Test
	void aDeniedTimerLeavesTheWritersUntimed() {
		MeterRegistry registry = new SimpleMeterRegistry();
		registry.config().meterFilter(MeterFilter.denyNameStartsWith("sse.delivery.latency"));
		new SseMetrics(this.engine).bindTo(registry);
		assertThat(this.engine.counters().latencyRecorder()).isNull();
		assertThat(registry.find("sse.connections.active").gauge()).isNotNull();
	}

	@Test
	void springBootsEnableFlagDeniesIt() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
					JacksonAutoConfiguration.class, SseAutoConfiguration.class, SseMetricsAutoConfiguration.class))
			.withPropertyValues("management.metrics.enable.sse.delivery.latency=false")
			.run((context) -> {
				SseEngine engine = context.getBean(SseEngine.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.find("sse.connections.active").gauge()).isNotNull();
				assertThat(registry.find("sse.delivery.latency").timer()).isNull();
				assertThat(engine.counters().latencyRecorder()).isNull();
			});
	}

}
