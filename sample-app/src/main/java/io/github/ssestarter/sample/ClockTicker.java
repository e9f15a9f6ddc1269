package io.github.ssestarter.sample;

import java.time.Instant;
import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseService;

/**
 * Publishes the time to the {@code clock} topic every few seconds, showing how any bean
 * publishes: inject {@link SseService} and call it. Publishing never waits for clients.
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.clock.enabled", matchIfMissing = true)
class ClockTicker {

	private final SseService sse;

	ClockTicker(SseService sse) {
		this.sse = sse;
	}

	@Scheduled(fixedRateString = "${sample.clock.interval:5s}")
	void tick() {
		this.sse.publish("clock", SseEvent.of("clock.tick", Map.of("time", Instant.now().toString())));
	}

}
