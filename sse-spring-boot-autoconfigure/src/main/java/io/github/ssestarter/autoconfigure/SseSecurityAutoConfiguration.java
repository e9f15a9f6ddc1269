package io.github.ssestarter.autoconfigure;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.security.SseAccessDefaults;
import io.github.ssestarter.security.SsePrincipalResolver;
import io.github.ssestarter.security.SsePublishGuard;
import io.github.ssestarter.security.spring.AuthorityPublishGuard;
import io.github.ssestarter.security.spring.SpringSecurityPrincipalResolver;
import io.github.ssestarter.security.spring.SseBearerTokenResolver;
import io.github.ssestarter.security.spring.SseHttpSecurityCustomizer;
import io.github.ssestarter.security.spring.SseProblemAuthenticationEntryPoint;
import io.github.ssestarter.security.spring.SseQueryStringFilter;
import io.github.ssestarter.security.spring.SseRequestMatchers;

/**
 * Auto-configuration of the SSE endpoints' security when Spring Security protects the
 * application (a {@code SecurityFilterChain} exists, the application's own or Spring
 * Boot's default): user ids from the authentication, the publish authority, a
 * problem-detail {@code 401} for the SSE endpoints inside the application's chain, and
 * bearer tokens in the query string for OAuth2 resource servers.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = SseAutoConfiguration.class,
		afterName = { "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
				"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
				"org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.OAuth2ResourceServerWebSecurityAutoConfiguration" })
@ConditionalOnClass(name = { "org.springframework.security.web.SecurityFilterChain",
		"org.springframework.security.config.annotation.web.builders.HttpSecurity" })
@ConditionalOnBean({ SseEngine.class, SecurityFilterChain.class })
public final class SseSecurityAutoConfiguration {

	/**
	 * Create an instance.
	 */
	public SseSecurityAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	SseAccessDefaults sseAccessDefaults() {
		return SseAccessDefaults.SECURED;
	}

	@Bean
	@ConditionalOnMissingBean
	SsePrincipalResolver ssePrincipalResolver(SseProperties properties) {
		return new SpringSecurityPrincipalResolver(properties.getSecurity().getUserIdAttribute());
	}

	@Bean
	@ConditionalOnMissingBean
	SsePublishGuard ssePublishGuard(SseProperties properties) {
		return new AuthorityPublishGuard(properties.getSecurity().getPublishAuthority());
	}

	@Bean
	@ConditionalOnMissingBean
	SseRequestMatchers sseRequestMatchers(ObjectProvider<PathPatternRequestMatcher.Builder> builder,
			SseProperties properties) {
		return new SseRequestMatchers(builder.getIfAvailable(PathPatternRequestMatcher::withDefaults),
				properties.getWeb().getPath());
	}

	@Bean
	@ConditionalOnMissingBean
	SseHttpSecurityCustomizer sseHttpSecurityCustomizer(SseRequestMatchers sseRequestMatchers,
			ObjectProvider<JsonMapper> jsonMapper, SseProperties properties) {
		JsonMapper mapper = jsonMapper.getIfAvailable(JsonMapper::new);
		return new SseHttpSecurityCustomizer(sseRequestMatchers, new SseProblemAuthenticationEntryPoint(mapper, sseRequestMatchers.stream()),
				new SseQueryStringFilter(sseRequestMatchers.any(), mapper), properties.getSecurity().isCsrfExemptPublish(),
				!properties.getWeb().getCors().getAllowedOrigins().isEmpty());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.security.oauth2.server.resource.web.BearerTokenResolver")
	@ConditionalOnBooleanProperty(name = "sse.security.bearer-token-query-parameter", matchIfMissing = true)
	static class BearerTokenInQuery {

		@Bean
		@ConditionalOnMissingBean
		BearerTokenResolver sseBearerTokenResolver(SseRequestMatchers sseRequestMatchers) {
			return new SseBearerTokenResolver(sseRequestMatchers.stream());
		}

	}

}
