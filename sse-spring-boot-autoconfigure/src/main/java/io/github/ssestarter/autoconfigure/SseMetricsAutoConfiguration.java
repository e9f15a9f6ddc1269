package io.github.ssestarter.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.metrics.SseMetrics;
import io.github.ssestarter.metrics.SseStreamObservationPredicate;

/**
 * Auto-configuration of the SSE engine's Micrometer meters, when Micrometer is present.
 * Also keeps stream requests out of {@code http.server.requests}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = SseAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration")
@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
@ConditionalOnBean(SseEngine.class)
public final class SseMetricsAutoConfiguration {

	/**
	 * Create an instance.
	 */
	public SseMetricsAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	SseMetrics sseMetrics(SseEngine sseEngine) {
		return new SseMetrics(sseEngine);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "io.micrometer.observation.ObservationPredicate",
			"org.springframework.http.server.observation.ServerRequestObservationContext" })
	static class StreamObservation {

		@Bean
		SseStreamObservationPredicate sseStreamObservationPredicate(SseProperties properties) {
			return new SseStreamObservationPredicate(properties.getWeb().getPath());
		}

	}

}
