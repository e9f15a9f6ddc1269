package io.github.ssestarter.autoconfigure;

import java.time.Clock;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import io.github.ssestarter.backplane.SseBackplane;
import io.github.ssestarter.redis.RedisStreamKeys;
import io.github.ssestarter.redis.RedisStreamSseBackplane;
import io.github.ssestarter.redis.RedisStreamSseEventStore;

/**
 * Auto-configuration of the Redis backplane ({@code sse.backplane.type=redis}): every node
 * shares one Redis Stream for event ids, history and fan-out. Needs Spring Data Redis
 * ({@code spring-boot-starter-data-redis}) and its {@link RedisConnectionFactory}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(before = SseAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(name = { "org.springframework.data.redis.connection.RedisConnectionFactory",
		"org.springframework.web.servlet.mvc.method.annotation.SseEmitter" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBooleanProperty(name = "sse.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "sse.backplane.type", havingValue = "redis")
@ConditionalOnBean(RedisConnectionFactory.class)
@EnableConfigurationProperties(SseProperties.class)
public final class SseRedisAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RedisStreamSseEventStore sseEventStore(RedisConnectionFactory redisConnectionFactory, SseProperties properties) {
		SseProperties.Redis redis = properties.getBackplane().getRedis();
		return new RedisStreamSseEventStore(redisConnectionFactory, RedisStreamKeys.of(redis.getKeyPrefix()),
				redis.getHistoryLength(), redis.getHistoryAge(), Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean(SseBackplane.class)
	RedisStreamSseBackplane sseBackplane(RedisConnectionFactory redisConnectionFactory,
			RedisStreamSseEventStore sseEventStore, SseProperties properties) {
		SseProperties.Redis redis = properties.getBackplane().getRedis();
		return new RedisStreamSseBackplane(redisConnectionFactory, sseEventStore, redis.getReadBatchSize(),
				redis.getPollTimeout());
	}

}
