package io.github.ssestarter.autoconfigure;

import java.time.Clock;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.ClassUtils;

import io.github.ssestarter.backplane.SseBackplane;
import io.github.ssestarter.presence.SsePresenceStore;
import io.github.ssestarter.redis.RedisPresenceStore;
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

	/**
	 * Create an instance.
	 */
	public SseRedisAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	RedisStreamSseEventStore sseEventStore(RedisConnectionFactory redisConnectionFactory, SseProperties properties,
			Environment environment) {
		SseProperties.Redis redis = properties.getBackplane().getRedis();
		return new RedisStreamSseEventStore(redisConnectionFactory, RedisStreamKeys.of(keyPrefix(properties, environment)),
				redis.getHistoryLength(), redis.getHistoryAge(), Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean(SseBackplane.class)
	RedisStreamSseBackplane sseBackplane(RedisConnectionFactory redisConnectionFactory,
			RedisStreamSseEventStore sseEventStore, SseProperties properties) {
		SseProperties.Redis redis = properties.getBackplane().getRedis();
		checkPollTimeout(redis.getPollTimeout(), commandTimeout(redisConnectionFactory));
		return new RedisStreamSseBackplane(redisConnectionFactory, sseEventStore, redis.getReadBatchSize(),
				properties.getMaxEventSize().toBytes(), redis.getPollTimeout());
	}

	@Bean
	@ConditionalOnMissingBean(SsePresenceStore.class)
	RedisPresenceStore ssePresenceStore(RedisConnectionFactory redisConnectionFactory, SseProperties properties,
			Environment environment) {
		return new RedisPresenceStore(redisConnectionFactory, keyPrefix(properties, environment),
				properties.effectiveNodeName(), properties.getPresence().getNodeTimeout());
	}

	private static String keyPrefix(SseProperties properties, Environment environment) {
		String prefix = properties.getBackplane().getRedis().getKeyPrefix();
		return (prefix != null) ? prefix : defaultKeyPrefix(environment);
	}

	/**
	 * The default key prefix: the application's name, so that two applications sharing a
	 * Redis database never exchange events (a user's events included) unless they are told
	 * to share a prefix.
	 */
	static String defaultKeyPrefix(Environment environment) {
		String name = environment.getProperty("spring.application.name");
		if (name == null || name.isBlank()) {
			return "sse";
		}
		String prefix = "sse:" + name;
		if (!SsePropertiesValidation.isValidKeyPrefix(prefix)) {
			throw new InvalidConfigurationPropertyValueException("sse.backplane.redis.key-prefix", null,
					"The default prefix 'sse:' + spring.application.name ('" + name + "') is not 1 to 100 visible "
							+ "ASCII characters without braces. Set sse.backplane.redis.key-prefix.");
		}
		return prefix;
	}

	/**
	 * The reader's blocking read must return before the client gives up on it, or every idle
	 * poll fails and the backplane reports itself down for good.
	 */
	static void checkPollTimeout(Duration pollTimeout, @Nullable Duration commandTimeout) {
		if (commandTimeout != null && !commandTimeout.isZero() && pollTimeout.multipliedBy(2).compareTo(commandTimeout) > 0) {
			throw new InvalidConfigurationPropertyValueException("sse.backplane.redis.poll-timeout", pollTimeout,
					"It must be at most half of the Redis command timeout (spring.data.redis.timeout, "
							+ commandTimeout.toMillis() + "ms), so that an idle blocking read returns before the client gives up "
							+ "on it. Lower sse.backplane.redis.poll-timeout or raise spring.data.redis.timeout.");
		}
	}

	/** The command timeout of the connection factory, when it is one whose timeout is known. */
	private static @Nullable Duration commandTimeout(RedisConnectionFactory factory) {
		if (ClassUtils.isPresent("io.lettuce.core.RedisClient", null)
				&& factory instanceof LettuceConnectionFactory lettuce) {
			return lettuce.getClientConfiguration().getCommandTimeout();
		}
		return null;
	}

}
