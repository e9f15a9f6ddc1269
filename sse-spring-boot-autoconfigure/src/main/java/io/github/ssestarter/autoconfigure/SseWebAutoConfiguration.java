package io.github.ssestarter.autoconfigure;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.web.SseExceptionHandler;
import io.github.ssestarter.web.SsePublishController;
import io.github.ssestarter.web.SseStreamController;

/**
 * Auto-configuration of the SSE HTTP endpoints: the stream ({@code GET sse.web.path}),
 * the publish endpoint ({@code POST sse.web.path/events}, only when
 * {@code sse.web.publish.enabled=true}) and their problem-detail error handling.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = SseAutoConfiguration.class)
@ConditionalOnBean(SseEngine.class)
public final class SseWebAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SseStreamController sseStreamController(SseEngine sseEngine, SseProperties properties) {
		return new SseStreamController(sseEngine, properties.getWeb().getMaxTopics(),
				properties.getConnection().getMaxLifetime());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty("sse.web.publish.enabled")
	SsePublishController ssePublishController(SseEngine sseEngine, ObjectProvider<JsonMapper> jsonMapper,
			SseProperties properties) {
		return new SsePublishController(sseEngine, jsonMapper.getIfAvailable(JsonMapper::new),
				properties.getMaxEventSize().toBytes());
	}

	@Bean
	@ConditionalOnMissingBean
	SseExceptionHandler sseExceptionHandler() {
		return new SseExceptionHandler();
	}

}
