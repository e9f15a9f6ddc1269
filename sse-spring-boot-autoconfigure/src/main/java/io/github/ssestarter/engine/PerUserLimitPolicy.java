package io.github.ssestarter.engine;

/**
 * What happens when a user opens one stream more than {@code sse.limits.max-connections-per-user}.
 *
 * @since 0.1.0
 */
public enum PerUserLimitPolicy {

	/** Refuse the new stream with {@code 429 Too Many Requests} and {@code Retry-After}. */
	REJECT,

	/**
	 * Accept the new stream and end the user's oldest one with an {@code sse.evicted} event
	 * telling its page not to reconnect, so two tabs do not evict each other forever.
	 */
	EVICT_OLDEST

}
