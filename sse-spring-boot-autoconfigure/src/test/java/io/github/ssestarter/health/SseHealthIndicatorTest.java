package io.github.ssestarter.health;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import io.github.ssestarter.backplane.LocalSseBackplane;
import io.github.ssestarter.backplane.SseBackplane;
import io.github.ssestarter.encode.DefaultSseEventEncoder;
import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.engine.SseWriterExecutor;
import io.github.ssestarter.store.InMemorySseEventStore;
import io.github.ssestarter.store.OutgoingEvent;
import io.github.ssestarter.support.RecordingTransport;
import io.github.ssestarter.support.TestEngines;

import static org.assertj.core.api.Assertions.assertThat;

class SseHealthIndicatorTest {

	@Test
	void upWithDetailsThenOutOfServiceWhileShuttingDown() {
		SseEngine engine = new TestEngines().build();
		engine.open(TestEngines.topics("t"), new RecordingTransport());
		SseHealthIndicator indicator = new SseHealthIndicator(engine);
		Health health = indicator.health(true);
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("connections", 1)
			.containsEntry("maxConnections", 10_000)
			.containsEntry("capacityUsed", 0.0001)
			.containsEntry("backplane", Map.of("type", "LocalSseBackplane", "status", "UP"));
		engine.shutdown(Duration.ofSeconds(1));
		assertThat(indicator.health(true).getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		engine.resume();
		assertThat(indicator.health(true).getStatus()).isEqualTo(Status.UP);
		engine.close();
	}

	@Test
	void downWhenTheBackplaneIsUnavailable() {
		InMemorySseEventStore store = new InMemorySseEventStore(10, Long.MAX_VALUE, Duration.ofMinutes(1), Clock.systemUTC());
		UnavailableBackplane backplane = new UnavailableBackplane(new LocalSseBackplane(store));
		SseEngine engine = new SseEngine(new TestEngines().build().settings(),
				new DefaultSseEventEncoder(JsonMapper.builder().build()), store, backplane,
				SseWriterExecutor.platformThreads(1, 2));
		Health health = new SseHealthIndicator(engine).health(true);
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("backplane",
				Map.of("type", "UnavailableBackplane", "status", "DOWN"));
		engine.close();
	}

	private record UnavailableBackplane(SseBackplane delegate) implements SseBackplane {

		@Override
		public void start(String position, Delivery delivery) {
			this.delegate.start(position, delivery);
		}

		@Override
		public String publish(OutgoingEvent event) {
			return this.delegate.publish(event);
		}

		@Override
		public void stop() {
			this.delegate.stop();
		}

		@Override
		public boolean isAvailable() {
			return false;
		}

	}

}
