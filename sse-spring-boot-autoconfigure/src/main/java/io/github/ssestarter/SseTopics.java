package io.github.ssestarter;

import org.jspecify.annotations.Nullable;

/**
 * Topic names: the reserved per-user, per-session and per-client topics, and the syntax a
 * client may request.
 * <p>
 * A topic a client asks for is 1 to {@value #MAX_LENGTH} characters of ASCII letters,
 * digits and {@code - _ . : @ /}. Reserved topics ({@code user:}, {@code session:},
 * {@code client:}) are assigned by the server from the authenticated principal, the HTTP
 * session and the stream itself; a client never gains one by asking for it.
 *
 * @since 0.1.0
 */
public final class SseTopics {

	/** Longest topic accepted, in characters. */
	public static final int MAX_LENGTH = 200;

	/** Prefix of a user's own topic. */
	public static final String USER_PREFIX = "user:";

	/** Prefix of an HTTP session's topic. */
	public static final String SESSION_PREFIX = "session:";

	/** Prefix of a single stream's topic. */
	public static final String CLIENT_PREFIX = "client:";

	private SseTopics() {
	}

	/**
	 * The topic of a user's streams.
	 * @param userId the user id
	 * @return {@code user:<userId>}
	 */
	public static String user(String userId) {
		return USER_PREFIX + requireId("user id", userId);
	}

	/**
	 * The topic of the streams opened within an HTTP session.
	 * @param sessionId the session id
	 * @return {@code session:<sessionId>}
	 */
	public static String session(String sessionId) {
		return SESSION_PREFIX + requireId("session id", sessionId);
	}

	/**
	 * The topic of one stream.
	 * @param clientId the client id
	 * @return {@code client:<clientId>}
	 */
	public static String client(String clientId) {
		return CLIENT_PREFIX + requireId("client id", clientId);
	}

	/**
	 * Whether the topic is reserved for server assignment.
	 * @param topic the topic
	 * @return {@code true} for {@code user:}, {@code session:} and {@code client:} topics
	 */
	public static boolean isReserved(String topic) {
		return topic.startsWith(USER_PREFIX) || topic.startsWith(SESSION_PREFIX) || topic.startsWith(CLIENT_PREFIX);
	}

	/**
	 * Why a topic requested by a client is not valid.
	 * @param topic the topic as received
	 * @return a sentence saying what to fix, or {@code null} if the topic is valid
	 */
	public static @Nullable String syntaxError(String topic) {
		if (topic.isEmpty()) {
			return "A topic must not be empty.";
		}
		if (topic.length() > MAX_LENGTH) {
			return "A topic must be at most " + MAX_LENGTH + " characters long; this one has " + topic.length() + ".";
		}
		for (int i = 0; i < topic.length(); i++) {
			if (!isTopicChar(topic.charAt(i))) {
				return "A topic may contain only ASCII letters, digits and - _ . : @ /; character " + (i + 1)
						+ " is not allowed.";
			}
		}
		return null;
	}

	private static boolean isTopicChar(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
				|| c == '.' || c == ':' || c == '@' || c == '/';
	}

	/**
	 * Check a topic given by a publisher: not empty, at most {@value #MAX_LENGTH} characters
	 * plus a reserved prefix, and no control characters. Publishers may address reserved
	 * topics; user ids and session ids may contain any printable character.
	 * @param topic the topic
	 * @return the topic
	 * @throws IllegalArgumentException if the topic is not acceptable
	 */
	public static String requirePublishable(@Nullable String topic) {
		if (topic == null || topic.isEmpty()) {
			throw new IllegalArgumentException("Topic must not be empty");
		}
		if (topic.length() > MAX_LENGTH + SESSION_PREFIX.length()) {
			throw new IllegalArgumentException("Topic is " + topic.length() + " characters long; the limit is "
					+ (MAX_LENGTH + SESSION_PREFIX.length()));
		}
		for (int i = 0; i < topic.length(); i++) {
			if (Character.isISOControl(topic.charAt(i))) {
				throw new IllegalArgumentException("Topic must not contain control characters (index " + i + ")");
			}
		}
		return topic;
	}

	private static String requireId(String what, @Nullable String id) {
		if (id == null || id.isEmpty()) {
			throw new IllegalArgumentException("The " + what + " must not be empty");
		}
		return id;
	}

}
