package io.github.ssestarter.sample;

import java.time.Instant;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseService;
import io.github.ssestarter.backplane.SseBackplaneException;

/**
 * Publishes the time to the {@code clock} topic every few seconds, showing how any bean
 * publishes: inject {@link SseService} and call it. Publishing never waits for clients.
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.clock.enabled", matchIfMissing = true)
class ClockTicker {

	private static final Log logger = LogFactory.getLog(ClockTicker.class);

	private final SseService sse;

	ClockTicker(SseService sse) {
		this.sse = sse;
	}

	@Scheduled(fixedRateString = "${sample.clock.interval:5s}")
	void tick() {
		try {
			this.sse.publish("clock", SseEvent.of("clock.tick", Map.of("time", Instant.now().toString())));
		}
		catch (SseBackplaneException ex) {
			// Redis is down: the backplane has logged it and counts every failure; skip this tick.
			logger.debug("Clock tick not published: " + ex.getMessage());
		}
	}

}
