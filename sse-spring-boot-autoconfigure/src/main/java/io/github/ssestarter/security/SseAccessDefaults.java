package io.github.ssestarter.security;

/**
 * Defaults that depend on whether Spring Security protects the application: with it, an
 * anonymous client gets 401 and no topic is public until listed; without it, there are
 * no users to protect from each other, so anyone may open a stream with any
 * non-reserved topic. Explicit {@code sse.security.*} properties override both.
 *
 * @param anonymousAllowed whether unauthenticated clients may open streams
 * @param allTopicsPublic whether every non-reserved topic is public when
 * {@code sse.security.allowed-topics} is unset
 * @since 0.1.0
 */
public record SseAccessDefaults(boolean anonymousAllowed, boolean allTopicsPublic) {

	/** With Spring Security. */
	public static final SseAccessDefaults SECURED = new SseAccessDefaults(false, false);

	/** Without Spring Security. */
	public static final SseAccessDefaults OPEN = new SseAccessDefaults(true, true);

}
