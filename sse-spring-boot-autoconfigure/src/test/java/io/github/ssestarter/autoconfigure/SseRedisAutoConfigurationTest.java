package io.github.ssestarter.autoconfigure;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import io.github.ssestarter.redis.RedisStreamSseBackplane;
import io.github.ssestarter.redis.RedisStreamSseEventStore;
import io.github.ssestarter.support.LocalRedis;

import static org.assertj.core.api.Assertions.assertThat;

/** The Redis backplane's auto-configuration: its key prefix and its start-up checks. */
class SseRedisAutoConfigurationTest {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, SseRedisAutoConfiguration.class,
				SseAutoConfiguration.class))
		.withBean(RedisConnectionFactory.class, () -> LocalRedis.connectionFactory(LocalRedis.PORT))
		.withPropertyValues("sse.backplane.type=redis");

	@BeforeEach
	void redis() {
		LocalRedis.assumeRunning();
	}

	@Test
	void theKeyPrefixDefaultsToTheApplicationNameSoTwoApplicationsStayApart() {
		this.runner.withPropertyValues("spring.application.name=orders")
			.run((context) -> assertThat(streamKey(context.getBean(RedisStreamSseEventStore.class)))
				.isEqualTo("{sse:orders}:events"));
		this.runner.withPropertyValues("spring.application.name=billing")
			.run((context) -> assertThat(streamKey(context.getBean(RedisStreamSseEventStore.class)))
				.isEqualTo("{sse:billing}:events"));
		this.runner.run((context) -> assertThat(streamKey(context.getBean(RedisStreamSseEventStore.class)))
			.isEqualTo("{sse}:events"));
		this.runner.withPropertyValues("spring.application.name=orders", "sse.backplane.redis.key-prefix=shared")
			.run((context) -> assertThat(streamKey(context.getBean(RedisStreamSseEventStore.class)))
				.isEqualTo("{shared}:events"));
	}

	@Test
	void anApplicationNameThatCannotBeAPrefixFailsNamingBothProperties() {
		this.runner.withPropertyValues("spring.application.name=my {app}")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("sse.backplane.redis.key-prefix")
				.hasMessageContaining("spring.application.name"));
	}

	@Test
	void aPollTimeoutLongerThanHalfTheRedisTimeoutFailsAtStartup() {
		// the connection factory's command timeout is 2 s
		this.runner.withPropertyValues("sse.backplane.redis.poll-timeout=1500ms")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("sse.backplane.redis.poll-timeout")
				.hasMessageContaining("spring.data.redis.timeout"));
		this.runner.withPropertyValues("sse.backplane.redis.poll-timeout=1s")
			.run((context) -> assertThat(context).hasSingleBean(RedisStreamSseBackplane.class));
	}

	private static String streamKey(RedisStreamSseEventStore store) {
		return new String(store.keys().stream(), StandardCharsets.UTF_8);
	}

}
