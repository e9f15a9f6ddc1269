package io.github.ssestarter.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.health.SseHealthIndicator;

/**
 * Auto-configuration of the {@code sse} health contributor (turn it off with
 * {@code management.health.sse.enabled=false}).
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = SseAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean(SseEngine.class)
public final class SseHealthAutoConfiguration {

	/**
	 * Create an instance.
	 */
	public SseHealthAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean(name = "sseHealthIndicator")
	@ConditionalOnEnabledHealthIndicator("sse")
	SseHealthIndicator sseHealthIndicator(SseEngine sseEngine) {
		return new SseHealthIndicator(sseEngine);
	}

}
