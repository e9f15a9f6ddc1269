package io.github.ssestarter.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.security.PatternTopicAuthorizer;
import io.github.ssestarter.security.ServletPrincipalResolver;
import io.github.ssestarter.security.SseAccessDefaults;
import io.github.ssestarter.security.SsePrincipalResolver;
import io.github.ssestarter.security.SsePublishGuard;
import io.github.ssestarter.security.SseTopicAccess;
import io.github.ssestarter.security.SseTopicAuthorizer;
import io.github.ssestarter.web.SseCorsConfigurer;
import io.github.ssestarter.web.SseExceptionHandler;
import io.github.ssestarter.web.SsePublishController;
import io.github.ssestarter.web.SseSessionEndListener;
import io.github.ssestarter.web.SseStreamController;
import io.github.ssestarter.web.SseStreamExceptionHandler;
import io.github.ssestarter.web.SseStreamReturnValues;

/**
 * Auto-configuration of the SSE HTTP endpoints: the stream ({@code GET sse.web.path}), the
 * publish endpoint ({@code POST sse.web.path/events}), who may use them, CORS, and
 * problem-detail error handling. Runs after the security auto-configuration, whose beans
 * (principal resolver, publish guard, access defaults) take precedence over the plain
 * servlet ones declared here.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { SseAutoConfiguration.class, SseSecurityAutoConfiguration.class })
@ConditionalOnBean(SseEngine.class)
public final class SseWebAutoConfiguration {

	/**
	 * Create an instance.
	 */
	public SseWebAutoConfiguration() {
	}

	private static final String SECURITY_FILTER_CHAIN = "org.springframework.security.web.SecurityFilterChain";

	@Bean
	@ConditionalOnMissingBean
	SseAccessDefaults sseAccessDefaults() {
		return SseAccessDefaults.OPEN;
	}

	@Bean
	@ConditionalOnMissingBean
	SsePrincipalResolver ssePrincipalResolver() {
		return new ServletPrincipalResolver();
	}

	@Bean
	@ConditionalOnMissingBean
	SsePublishGuard ssePublishGuard() {
		return SsePublishGuard.PERMIT_ALL;
	}

	@Bean
	@ConditionalOnMissingBean
	SseTopicAccess sseTopicAccess(ObjectProvider<SseTopicAuthorizer> authorizers, SseProperties properties,
			SseAccessDefaults defaults) {
		List<SseTopicAuthorizer> all = new ArrayList<>();
		List<String> allowed = properties.getSecurity().getAllowedTopics();
		if (allowed == null && defaults.allTopicsPublic()) {
			allowed = List.of("*");
		}
		if (allowed != null && !allowed.isEmpty()) {
			all.add(new PatternTopicAuthorizer(allowed));
		}
		authorizers.orderedStream().forEach(all::add);
		return new SseTopicAccess(all);
	}

	@Bean
	@ConditionalOnMissingBean
	SseSessionEndListener sseSessionEndListener(SseEngine sseEngine) {
		return new SseSessionEndListener(sseEngine);
	}

	@Bean
	@ConditionalOnMissingBean
	SseStreamController sseStreamController(SseEngine sseEngine, SsePrincipalResolver ssePrincipalResolver,
			SseTopicAccess sseTopicAccess, SseProperties properties, SseAccessDefaults defaults) {
		Boolean anonymous = properties.getSecurity().getAnonymous();
		return new SseStreamController(sseEngine, ssePrincipalResolver, sseTopicAccess,
				new SseStreamController.Settings(properties.getWeb().getMaxTopics(),
						properties.getConnection().getMaxLifetime(),
						(anonymous != null) ? anonymous : defaults.anonymousAllowed(),
						properties.getWeb().isTrimContainerBuffers()));
	}

	@Bean
	@ConditionalOnMissingBean
	@Conditional(PublishEndpointCondition.class)
	SsePublishController ssePublishController(SseEngine sseEngine, ObjectProvider<JsonMapper> jsonMapper,
			SseProperties properties, SsePublishGuard ssePublishGuard) {
		return new SsePublishController(sseEngine, jsonMapper.getIfAvailable(JsonMapper::new),
				properties.getMaxEventSize().toBytes(), ssePublishGuard);
	}

	@Bean
	@ConditionalOnMissingBean
	SseExceptionHandler sseExceptionHandler() {
		return new SseExceptionHandler();
	}

	@Bean
	@ConditionalOnMissingBean
	SseStreamExceptionHandler sseStreamExceptionHandler() {
		return new SseStreamExceptionHandler();
	}

	@Bean
	static SseStreamReturnValues sseStreamReturnValues(ObjectProvider<SseStreamController> sseStreamController) {
		return new SseStreamReturnValues(sseStreamController);
	}

	@Bean
	@ConditionalOnMissingBean
	SseCorsConfigurer sseCorsConfigurer(SseProperties properties) {
		SseProperties.Cors cors = properties.getWeb().getCors();
		return new SseCorsConfigurer(properties.getWeb().getPath(), cors.getAllowedOrigins(),
				cors.isAllowCredentials(), cors.getMaxAge());
	}

	/**
	 * The publish endpoint exists when {@code sse.web.publish.enabled=true}, or when the
	 * property is unset and Spring Security protects the application (the endpoint then
	 * requires the publish authority).
	 */
	static final class PublishEndpointCondition extends AnyNestedCondition {

		PublishEndpointCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnBooleanProperty("sse.web.publish.enabled")
		static final class ExplicitlyEnabled {

		}

		@ConditionalOnBooleanProperty(name = "sse.web.publish.enabled", matchIfMissing = true)
		@ConditionalOnBean(type = SECURITY_FILTER_CHAIN)
		static final class SecuredByDefault {

		}

	}

}
