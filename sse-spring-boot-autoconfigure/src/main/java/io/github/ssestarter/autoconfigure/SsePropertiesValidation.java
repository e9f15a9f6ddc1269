package io.github.ssestarter.autoconfigure;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginProvider;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.BindingResult;
import org.springframework.validation.Errors;
import org.springframework.validation.FieldError;

import io.github.ssestarter.SseTopics;
/**
 * The start-up checks of {@link SseProperties}. Each rejected value names its property,
 * what it was, and what is allowed.
 */
final class SsePropertiesValidation {

	/** The packed queue accounting holds up to 2^23 - 1 events. */
	private static final int MAX_QUEUED_EVENTS = (1 << 23) - 1;

	private final SseProperties properties;

	private final Errors errors;

	private final @Nullable Environment environment;

	/**
	 * Check the properties.
	 * @param properties the bound properties
	 * @param errors where rejected values go
	 * @param environment where they were written, to show them as written, or {@code null}
	 */
	SsePropertiesValidation(SseProperties properties, Errors errors, @Nullable Environment environment) {
		this.properties = properties;
		this.errors = errors;
		this.environment = environment;
	}

	void validate() {
		SseProperties p = this.properties;
		positive("maxEventSize", "sse.max-event-size", p.getMaxEventSize());
		atLeast("writeTimeout", "sse.write-timeout", p.getWriteTimeout(), Duration.ofMillis(500));
		validateWeb(p.getWeb());
		range("buffer.maxEvents", "sse.buffer.max-events", p.getBuffer().getMaxEvents(), 1, MAX_QUEUED_EVENTS);
		positive("buffer.maxBytes", "sse.buffer.max-bytes", p.getBuffer().getMaxBytes());
		if (p.getMaxEventSize() != null && p.getBuffer().getMaxBytes() != null
				&& p.getMaxEventSize().toBytes() > p.getBuffer().getMaxBytes().toBytes()) {
			reject("maxEventSize", "sse.max-event-size (" + shown(p.getMaxEventSize())
					+ ") must not exceed sse.buffer.max-bytes (" + shown(p.getBuffer().getMaxBytes())
					+ "): an event that large could never be queued for a client");
		}
		notNull("buffer.overflowPolicy", "sse.buffer.overflow-policy", p.getBuffer().getOverflowPolicy());
		validateWriter(p.getWriter());
		atLeast("heartbeat.interval", "sse.heartbeat.interval", p.getHeartbeat().getInterval(), Duration.ofMillis(100));
		notNull("heartbeat.mode", "sse.heartbeat.mode", p.getHeartbeat().getMode());
		atLeast("connection.maxLifetime", "sse.connection.max-lifetime", p.getConnection().getMaxLifetime(),
				Duration.ofSeconds(1));
		if (p.getConnection().getMaxLifetime() != null
				&& p.getConnection().getMaxLifetime().compareTo(Duration.ofDays(24)) > 0) {
			reject("connection.maxLifetime", "sse.connection.max-lifetime must be at most 24 days (was "
					+ shown(p.getConnection().getMaxLifetime()) + ")");
		}
		double jitter = p.getConnection().getLifetimeJitter();
		if (!(jitter >= 0 && jitter <= 0.5)) {
			reject("connection.lifetimeJitter",
					"sse.connection.lifetime-jitter must be a fraction from 0 to 0.5 (was " + jitter + ")");
		}
		Duration retry = p.getConnection().getRetry();
		if (retry == null || retry.isNegative() || retry.toMillis() > Integer.MAX_VALUE) {
			reject("connection.retry", "sse.connection.retry must be from 0 to " + Integer.MAX_VALUE + " ms (was "
					+ shown(retry) + ")");
		}
		range("replay.maxEvents", "sse.replay.max-events", p.getReplay().getMaxEvents(), 0, 10_000_000);
		DataSize historyBytes = p.getReplay().getMaxBytes();
		if (historyBytes == null || historyBytes.toBytes() < 0) {
			reject("replay.maxBytes", "sse.replay.max-bytes must be set and not negative (was " + shown(historyBytes) + ")");
		}
		else if (p.getReplay().isEnabled() && p.getMaxEventSize() != null
				&& historyBytes.toBytes() < p.getMaxEventSize().toBytes()) {
			reject("replay.maxBytes", "sse.replay.max-bytes (" + shown(historyBytes) + ") must be at least sse.max-event-size ("
					+ shown(p.getMaxEventSize()) + "): the history could not keep one event that large, so clients "
					+ "resuming or catching up after one would always be told to reset");
		}
		atLeast("replay.maxAge", "sse.replay.max-age", p.getReplay().getMaxAge(), Duration.ofSeconds(1));
		range("limits.maxConnections", "sse.limits.max-connections", p.getLimits().getMaxConnections(), 1,
				10_000_000);
		range("limits.maxConnectionsPerUser", "sse.limits.max-connections-per-user",
				p.getLimits().getMaxConnectionsPerUser(), 1, 10_000);
		notNull("limits.perUserPolicy", "sse.limits.per-user-policy", p.getLimits().getPerUserPolicy());
		validatePresence(p.getPresence());
		validateSecurity(p.getSecurity());
		validateRedis(p.getBackplane());
		validateCors(p.getWeb().getCors());
		Duration shutdown = p.getShutdown().getTimeout();
		if (shutdown == null || shutdown.isNegative()) {
			reject("shutdown.timeout", "sse.shutdown.timeout must be zero or positive (was " + shown(shutdown) + ")");
		}
	}

	private void validateWeb(SseProperties.Web web) {
		String path = web.getPath();
		if (path == null || !path.startsWith("/") || path.endsWith("/") || path.contains("//") || path.contains("{")
				|| path.contains("*") || path.chars().anyMatch((c) -> c <= ' ' || c >= 0x7f)) {
			reject("web.path", "sse.web.path must be a path such as /api/v1/sse: starting with /, without a "
					+ "trailing /, spaces, wildcards or variables (was '" + path + "')");
		}
		range("web.maxTopics", "sse.web.max-topics", web.getMaxTopics(), 1, 1000);
	}

	private void validatePresence(SseProperties.Presence presence) {
		Duration delay = presence.getLeaveDelay();
		if (delay == null || delay.isNegative() || delay.compareTo(Duration.ofHours(1)) > 0) {
			reject("presence.leaveDelay", "sse.presence.leave-delay must be from 0 to 1h (was " + shown(delay) + ")");
		}
		range("presence.maxUsers", "sse.presence.max-users", presence.getMaxUsers(), 1, 10_000);
		atLeast("presence.nodeTimeout", "sse.presence.node-timeout", presence.getNodeTimeout(), Duration.ofSeconds(1));
		checkPatterns("presence.notifyTopics", "sse.presence.notify-topics", presence.getNotifyTopics());
	}

	private void checkPatterns(String field, String property, @Nullable List<String> patterns) {
		if (patterns == null) {
			return;
		}
		for (String pattern : patterns) {
			// '*' stands for any characters; the rest must be valid topic characters.
			String error = (pattern == null || pattern.isEmpty()) ? "A pattern must not be empty."
					: SseTopics.syntaxError(pattern.replace('*', 'x'));
			if (error != null) {
				reject(field, property + " has an invalid pattern '" + pattern + "': " + error
						+ " ('*' matches any characters)");
			}
		}
	}

	private void validateSecurity(SseProperties.Security security) {
		String authority = security.getPublishAuthority();
		if (authority == null || authority.isBlank()) {
			reject("security.publishAuthority", "sse.security.publish-authority must not be empty");
		}
		String attribute = security.getUserIdAttribute();
		if (attribute != null && attribute.isBlank()) {
			reject("security.userIdAttribute",
					"sse.security.user-id-attribute must name an attribute or claim, or be left unset");
		}
		checkPatterns("security.allowedTopics", "sse.security.allowed-topics", security.getAllowedTopics());
	}

	static boolean isValidKeyPrefix(String prefix) {
		return !prefix.isEmpty() && prefix.length() <= 100
				&& prefix.chars().noneMatch((c) -> c <= ' ' || c == '{' || c == '}' || c >= 0x7f);
	}

	private void validateRedis(SseProperties.Backplane backplane) {
		notNull("backplane.type", "sse.backplane.type", backplane.getType());
		SseProperties.Redis redis = backplane.getRedis();
		String prefix = redis.getKeyPrefix();
		if (prefix != null && !isValidKeyPrefix(prefix)) {
			reject("backplane.redis.keyPrefix", "sse.backplane.redis.key-prefix must be 1 to 100 visible ASCII "
					+ "characters without braces: the keys are {<prefix>}:events and {<prefix>}:generation, the braces "
					+ "(a Redis Cluster hash tag) are added for you (was '" + prefix + "')");
		}
		if (redis.getHistoryLength() < 1 || redis.getHistoryLength() > 100_000_000) {
			reject("backplane.redis.historyLength", "sse.backplane.redis.history-length must be from 1 to 100000000 "
					+ "(was " + redis.getHistoryLength() + ")");
		}
		atLeast("backplane.redis.historyAge", "sse.backplane.redis.history-age", redis.getHistoryAge(),
				Duration.ofSeconds(1));
		range("backplane.redis.readBatchSize", "sse.backplane.redis.read-batch-size", redis.getReadBatchSize(), 1,
				100_000);
		atLeast("backplane.redis.pollTimeout", "sse.backplane.redis.poll-timeout", redis.getPollTimeout(),
				Duration.ofMillis(10));
	}

	private void validateCors(SseProperties.Cors cors) {
		for (String origin : cors.getAllowedOrigins()) {
			if (cors.isAllowCredentials() && "*".equals(origin)) {
				reject("web.cors.allowedOrigins", "sse.web.cors.allowed-origins must list origins, not '*', when "
						+ "sse.web.cors.allow-credentials is true (browsers refuse credentials for any origin)");
			}
			else if (!"*".equals(origin) && !origin.matches("https?://[^/\\s]+")) {
				reject("web.cors.allowedOrigins", "sse.web.cors.allowed-origins entries must be origins such as "
						+ "https://app.example.com (scheme and host, no path), or '*'; '" + origin + "' is not");
			}
		}
		Duration maxAge = cors.getMaxAge();
		if (maxAge == null || maxAge.isNegative()) {
			reject("web.cors.maxAge", "sse.web.cors.max-age must be zero or positive (was " + shown(maxAge) + ")");
		}
	}

	private void validateWriter(SseProperties.Writer writer) {
		Integer threads = writer.getThreads();
		if (threads != null) {
			range("writer.threads", "sse.writer.threads", threads, 1, 1024);
		}
		if (writer.getMaxThreads() < writer.effectiveThreads() || writer.getMaxThreads() > 4096) {
			reject("writer.maxThreads", "sse.writer.max-threads must be from sse.writer.threads ("
					+ writer.effectiveThreads() + ") to 4096 (was " + writer.getMaxThreads() + ")");
		}
		DataSize batch = writer.getMaxBatchSize();
		if (batch == null || batch.toBytes() < 1024 || batch.toBytes() > 64L * 1024 * 1024) {
			reject("writer.maxBatchSize", "sse.writer.max-batch-size must be from 1KB to 64MB (was " + shown(batch) + ")");
		}
	}

	private void positive(String field, String property, DataSize size) {
		if (size == null || size.toBytes() <= 0 || size.toBytes() > Integer.MAX_VALUE - 1024) {
			reject(field, property + " must be from 1B to 2GB (was " + shown(size) + ")");
		}
	}

	private void atLeast(String field, String property, Duration duration, Duration minimum) {
		if (duration == null || duration.compareTo(minimum) < 0) {
			reject(field, property + " must be at least " + minimum.toMillis() + "ms (was " + shown(duration) + ")");
		}
	}

	private void range(String field, String property, int value, int min, int max) {
		if (value < min || value > max) {
			reject(field, property + " must be from " + min + " to " + max + " (was " + value + ")");
		}
	}

	private void notNull(String field, String property, Object value) {
		if (value == null) {
			reject(field, property + " must be set");
		}
	}

	/**
	 * Reject a property under its name as users write it ({@code buffer.max-events}, not
	 * {@code buffer.maxEvents}), with its value as written ({@code 2MB}, not
	 * {@code 2097152B}) and where it was written, which Spring Boot's start-up failure
	 * report shows.
	 */
	private void reject(String field, String message) {
		if (!(this.errors instanceof BindingResult result)) {
			this.errors.rejectValue(field, "sse.invalid", message);
			return;
		}
		String dashed = DataObjectPropertyName.toDashedForm(field);
		ConfigurationProperty written = written("sse." + dashed);
		Object value = (written != null) ? written.getValue() : shown(result.getFieldValue(field));
		result.addError(new PropertyError(result.getObjectName(), dashed, value, message,
				(written != null) ? written.getOrigin() : null));
	}

	private @Nullable ConfigurationProperty written(String property) {
		if (this.environment == null) {
			return null;
		}
		ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			ConfigurationProperty found = source.getConfigurationProperty(name);
			if (found != null) {
				return found;
			}
		}
		return null;
	}

	/** A size or duration as a user would write it: {@code 2MB}, {@code 500ms}, {@code 30m}. */
	static String shown(@Nullable Object value) {
		if (value instanceof DataSize size) {
			long bytes = size.toBytes();
			if (bytes != 0 && bytes % (1L << 20) == 0) {
				return (bytes >> 20) + "MB";
			}
			return (bytes != 0 && bytes % 1024 == 0) ? (bytes >> 10) + "KB" : bytes + "B";
		}
		if (value instanceof Duration duration) {
			long millis = duration.toMillis();
			if (millis == 0 || millis % 1000 != 0) {
				return millis + "ms";
			}
			long seconds = millis / 1000;
			if (seconds % 3600 == 0) {
				return (seconds / 3600) + "h";
			}
			return (seconds % 60 == 0) ? (seconds / 60) + "m" : seconds + "s";
		}
		return String.valueOf(value);
	}

	/** A rejected property that knows where it was written. */
	private static final class PropertyError extends FieldError implements OriginProvider {

		private final @Nullable Origin origin;

		PropertyError(String objectName, String field, @Nullable Object value, String message,
				@Nullable Origin origin) {
			super(objectName, field, value, false, new String[] { "sse.invalid" }, null, message);
			this.origin = origin;
		}

		@Override
		public @Nullable Origin getOrigin() {
			return this.origin;
		}

	}

}
