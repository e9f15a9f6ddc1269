package io.github.ssestarter.health;

import java.util.Map;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import io.github.ssestarter.SseStats;
import io.github.ssestarter.engine.SseEngine;

/**
 * Health of the SSE engine ({@code sse}): {@code UP} with the connection count, the share of
 * {@code sse.limits.max-connections} in use and the backplane's state; {@code OUT_OF_SERVICE}
 * once shutdown has begun (streams are being ended); {@code DOWN} when the backplane cannot
 * deliver.
 *
 * @since 0.1.0
 */
public class SseHealthIndicator extends AbstractHealthIndicator {

	private final SseEngine engine;

	/**
	 * Create the indicator.
	 * @param engine the engine
	 */
	public SseHealthIndicator(SseEngine engine) {
		super("SSE health check failed");
		this.engine = engine;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean backplaneUp = this.engine.backplane().isAvailable();
		if (!this.engine.isAccepting()) {
			builder.outOfService();
		}
		else if (!backplaneUp) {
			builder.down();
		}
		else {
			builder.up();
		}
		SseStats stats = this.engine.stats();
		int maxConnections = this.engine.settings().maxConnections();
		builder.withDetail("connections", stats.connections())
			.withDetail("maxConnections", maxConnections)
			.withDetail("capacityUsed", Math.round(10_000.0 * stats.connections() / maxConnections) / 10_000.0)
			.withDetail("topics", stats.topics())
			.withDetail("users", stats.users())
			.withDetail("pendingBytes", stats.pendingBytes())
			.withDetail("backplane", Map.of("type", this.engine.backplane().getClass().getSimpleName(), "status",
					backplaneUp ? "UP" : "DOWN"));
	}

}
