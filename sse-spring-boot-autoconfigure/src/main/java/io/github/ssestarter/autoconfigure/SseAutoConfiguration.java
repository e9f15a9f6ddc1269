package io.github.ssestarter.autoconfigure;

import java.time.Clock;
import java.util.List;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.system.JavaVersion;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.github.ssestarter.SseService;
import io.github.ssestarter.backplane.LocalSseBackplane;
import io.github.ssestarter.backplane.SseBackplane;
import io.github.ssestarter.encode.DefaultSseEventEncoder;
import io.github.ssestarter.encode.SseEventEncoder;
import io.github.ssestarter.engine.SseConnectionSettings;
import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.engine.SseEngineSettings;
import io.github.ssestarter.engine.SseLifecycle;
import io.github.ssestarter.engine.SseWriterExecutor;
import io.github.ssestarter.engine.SseStreamListener;
import io.github.ssestarter.events.SseStreamEventPublisher;
import io.github.ssestarter.presence.LocalPresenceStore;
import io.github.ssestarter.presence.NodePresence;
import io.github.ssestarter.presence.SsePresenceStore;
import io.github.ssestarter.presence.SsePresenceTracker;
import io.github.ssestarter.store.InMemorySseEventStore;
import io.github.ssestarter.store.SseEventStore;

/**
 * Auto-configuration of the SSE engine: encoder, event store, backplane, writer threads,
 * the engine ({@link io.github.ssestarter.SseService}) and its lifecycle. Every bean backs
 * off when the application declares its own.
 *
 * @since 0.1.0
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass(SseEmitter.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBooleanProperty(name = "sse.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SseProperties.class)
public final class SseAutoConfiguration {

	/**
	 * Create an instance.
	 */
	public SseAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	SseEventEncoder sseEventEncoder(ObjectProvider<JsonMapper> jsonMapper) {
		return new DefaultSseEventEncoder(jsonMapper.getIfAvailable(JsonMapper::new));
	}

	@Bean
	@ConditionalOnMissingBean
	SseEventStore sseEventStore(SseProperties properties) {
		requireLocalBackplane(properties);
		SseProperties.Replay replay = properties.getReplay();
		return new InMemorySseEventStore(replay.isEnabled() ? replay.getMaxEvents() : 0, replay.getMaxBytes().toBytes(),
				replay.getMaxAge(), Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	SseBackplane sseBackplane(SseEventStore sseEventStore, SseProperties properties) {
		requireLocalBackplane(properties);
		return new LocalSseBackplane(sseEventStore);
	}

	/** The Redis backplane's beans would have been created by now had Redis been available. */
	private static void requireLocalBackplane(SseProperties properties) {
		if (properties.getBackplane().getType() == SseProperties.BackplaneType.REDIS) {
			throw new InvalidConfigurationPropertyValueException("sse.backplane.type", "redis",
					"The Redis backplane needs Spring Data Redis and a RedisConnectionFactory: add "
							+ "spring-boot-starter-data-redis and configure spring.data.redis.*");
		}
	}

	@Bean
	@ConditionalOnMissingBean
	SseWriterExecutor sseWriterExecutor(SseProperties properties, Environment environment) {
		SseProperties.Writer writer = properties.getWriter();
		Boolean virtual = writer.getVirtualThreads();
		if (Boolean.TRUE.equals(virtual) && JavaVersion.getJavaVersion().isOlderThan(JavaVersion.TWENTY_ONE)) {
			throw new InvalidConfigurationPropertyValueException("sse.writer.virtual-threads", true,
					"Virtual threads need Java 21 or later; this JVM is Java " + JavaVersion.getJavaVersion()
							+ ". Remove the property or run on a newer JVM.");
		}
		if ((virtual != null) ? virtual : Threading.VIRTUAL.isActive(environment)) {
			return SseWriterExecutor.virtualThreads(writer.effectiveThreads());
		}
		return SseWriterExecutor.platformThreads(writer.effectiveThreads(), writer.getMaxThreads());
	}

	@Bean
	@ConditionalOnMissingBean({ SseEngine.class, SseService.class })
	SseStreamEventPublisher sseStreamEventPublisher(ApplicationEventPublisher applicationEventPublisher,
			SseProperties properties) {
		return new SseStreamEventPublisher(applicationEventPublisher, properties.effectiveNodeName());
	}

	/**
	 * Presence of this node's streams, kept in the presence store: Redis's with the Redis
	 * backplane (declared by its auto-configuration), else this node's memory.
	 */
	@Bean
	@ConditionalOnMissingBean({ SseEngine.class, SseService.class })
	SsePresenceTracker ssePresenceTracker(ObjectProvider<SsePresenceStore> ssePresenceStore, SseProperties properties) {
		SseProperties.Presence presence = properties.getPresence();
		NodePresence node = new NodePresence();
		SsePresenceStore store = ssePresenceStore.getIfAvailable(() -> new LocalPresenceStore(node));
		return new SsePresenceTracker(store, node,
				new SsePresenceTracker.Settings(presence.getLeaveDelay(), presence.getMaxUsers(),
						presence.getNotifyTopics().toArray(new String[0]), presence.getNodeTimeout().dividedBy(3)));
	}

	@Bean
	@ConditionalOnMissingBean({ SseEngine.class, SseService.class })
	SseEngine sseEngine(SseProperties properties, SseEventEncoder sseEventEncoder, SseEventStore sseEventStore,
			SseBackplane sseBackplane, SseWriterExecutor sseWriterExecutor,
			SseStreamEventPublisher sseStreamEventPublisher, SsePresenceTracker ssePresenceTracker) {
		SseEngine engine = new SseEngine(settings(properties), sseEventEncoder, sseEventStore, sseBackplane,
				sseWriterExecutor, SseStreamListener.all(List.of(sseStreamEventPublisher, ssePresenceTracker)),
				ssePresenceTracker);
		ssePresenceTracker.announceThrough(engine::publish);
		return engine;
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(SseEngine.class)
	SseLifecycle sseLifecycle(SseEngine sseEngine, SseProperties properties) {
		return new SseLifecycle(sseEngine, properties.getShutdown().getTimeout());
	}

	static SseEngineSettings settings(SseProperties properties) {
		SseProperties.Buffer buffer = properties.getBuffer();
		SseConnectionSettings connection = new SseConnectionSettings(buffer.getMaxEvents(),
				buffer.getMaxBytes().toBytes(), buffer.getOverflowPolicy(),
				(int) properties.getWriter().getMaxBatchSize().toBytes());
		return new SseEngineSettings(connection, properties.getMaxEventSize().toBytes(), properties.getWriteTimeout(),
				properties.getHeartbeat().getInterval(), properties.getHeartbeat().getMode(),
				properties.getConnection().getMaxLifetime(), properties.getConnection().getLifetimeJitter(),
				properties.getConnection().getRetry(), properties.getWeb().isConnectedEvent(),
				properties.getLimits().getMaxConnections(),
				properties.getLimits().getMaxConnectionsPerUser(), properties.getLimits().getPerUserPolicy(),
				properties.getSecurity().isSubscribeUserTopic());
	}

}
