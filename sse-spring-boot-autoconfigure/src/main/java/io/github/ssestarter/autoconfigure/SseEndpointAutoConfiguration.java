package io.github.ssestarter.autoconfigure;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.github.ssestarter.actuate.SseEndpoint;
import io.github.ssestarter.engine.SseEngine;

/**
 * Auto-configuration of the {@code sse} Actuator endpoint; it exists only when exposed
 * ({@code management.endpoints.web.exposure.include=sse}).
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = SseAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnBean(SseEngine.class)
public final class SseEndpointAutoConfiguration {

	/**
	 * Create an instance.
	 */
	public SseEndpointAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	SseEndpoint sseEndpoint(SseEngine sseEngine) {
		return new SseEndpoint(sseEngine);
	}

}
