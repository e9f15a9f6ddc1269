package io.github.ssestarter.autoconfigure;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;

import io.github.ssestarter.security.ServletPrincipalResolver;
import io.github.ssestarter.security.SseAccessDefaults;
import io.github.ssestarter.security.SsePrincipalResolver;
import io.github.ssestarter.security.SsePublishGuard;
import io.github.ssestarter.security.spring.AuthorityPublishGuard;
import io.github.ssestarter.security.spring.SpringSecurityPrincipalResolver;
import io.github.ssestarter.security.spring.SseBearerTokenResolver;
import io.github.ssestarter.security.spring.SseHttpSecurityCustomizer;
import io.github.ssestarter.security.spring.SseRequestMatchers;
import io.github.ssestarter.web.SsePublishController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

class SseSecurityAutoConfigurationTest {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, SseAutoConfiguration.class,
				SseSecurityAutoConfiguration.class, SseWebAutoConfiguration.class));

	private final WebApplicationContextRunner secured = this.runner.withBean(SecurityFilterChain.class,
			() -> mock(SecurityFilterChain.class));

	@Test
	void withSpringSecurityUsersNeedToAuthenticateAndPublishingNeedsTheAuthority() {
		this.secured.run((context) -> {
			assertThat(context.getBean(SseAccessDefaults.class)).isEqualTo(SseAccessDefaults.SECURED);
			assertThat(context.getBean(SsePrincipalResolver.class)).isInstanceOf(SpringSecurityPrincipalResolver.class);
			assertThat(context.getBean(SsePublishGuard.class)).isInstanceOf(AuthorityPublishGuard.class);
			assertThat(context).hasSingleBean(SsePublishController.class)
				.hasSingleBean(SseHttpSecurityCustomizer.class)
				.hasSingleBean(SseRequestMatchers.class);
			assertThat(context.getBean(BearerTokenResolver.class)).isInstanceOf(SseBearerTokenResolver.class);
		});
	}

	@Test
	void withoutASecurityFilterChainNothingOfSpringSecurityIsUsed() {
		this.runner.run((context) -> {
			assertThat(context.getBean(SseAccessDefaults.class)).isEqualTo(SseAccessDefaults.OPEN);
			assertThat(context.getBean(SsePrincipalResolver.class)).isInstanceOf(ServletPrincipalResolver.class);
			assertThat(context.getBean(SsePublishGuard.class)).isSameAs(SsePublishGuard.PERMIT_ALL);
			assertThat(context).doesNotHaveBean(SsePublishController.class)
				.doesNotHaveBean(SseHttpSecurityCustomizer.class);
		});
	}

	@Test
	void withoutSpringSecurityOnTheClasspath() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ServletPrincipalResolver.class)
				.doesNotHaveBean(SsePublishController.class));
	}

	@Test
	void thePublishEndpointCanBeTurnedOffUnderSecurityAndOnWithoutIt() {
		this.secured.withPropertyValues("sse.web.publish.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SsePublishController.class));
		this.runner.withPropertyValues("sse.web.publish.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(SsePublishController.class));
	}

	@Test
	void theQueryParameterTokenCanBeTurnedOff() {
		this.secured.withPropertyValues("sse.security.bearer-token-query-parameter=false")
			.run((context) -> assertThat(context).doesNotHaveBean(BearerTokenResolver.class));
	}

	@Test
	void anApplicationsOwnBeansWin() {
		SsePrincipalResolver own = (request) -> "always-me";
		this.secured.withBean(SsePrincipalResolver.class, () -> own)
			.run((context) -> assertThat(context.getBean(SsePrincipalResolver.class)).isSameAs(own));
	}

	@Test
	void invalidSecurityPropertiesFailNamingTheProperty() {
		List<String[]> cases = List.of(
				new String[] { "sse.security.allowed-topics=news.*,bad topic", "sse.security.allowed-topics" },
				new String[] { "sse.security.publish-authority= ", "sse.security.publish-authority" },
				new String[] { "sse.limits.max-connections-per-user=0", "sse.limits.max-connections-per-user" },
				new String[] { "sse.limits.per-user-policy=maybe", "sse.limits.per-user-policy" },
				new String[] { "sse.web.cors.allowed-origins=app.example.com", "sse.web.cors.allowed-origins" },
				new String[] { "sse.web.cors.allowed-origins=*", "sse.web.cors.allow-credentials=true",
						"sse.web.cors.allowed-origins" });
		for (String[] testCase : cases) {
			// every element but the last is a property; the last is the name the message must give
			String expected = testCase[testCase.length - 1];
			String[] properties = java.util.Arrays.copyOf(testCase, testCase.length - 1);
			this.runner.withPropertyValues(properties).run((context) -> {
				assertThat(context).as(testCase[0]).hasFailed();
				StringBuilder messages = new StringBuilder();
				for (Throwable cause = context.getStartupFailure(); cause != null; cause = cause.getCause()) {
					messages.append(cause.getMessage());
				}
				assertThat(messages).as(testCase[0]).contains(expected);
			});
		}
	}

}
