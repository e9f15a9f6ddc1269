package io.github.ssestarter.web;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import io.github.ssestarter.SseTopics;
import io.github.ssestarter.engine.CloseReason;
import io.github.ssestarter.engine.SseConnection;
import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.engine.SseSubscription;
import io.github.ssestarter.engine.SseUserLimitException;
import io.github.ssestarter.security.SsePrincipalResolver;
import io.github.ssestarter.security.SseSubscriber;
import io.github.ssestarter.security.SseTopicAccess;

/**
 * Opens a stream for a request once its topics are decided, for the built-in endpoint and
 * for the application's controllers alike: who the subscriber is, the per-user limit
 * (429), then {@code 200 text/event-stream} in asynchronous, non-blocking mode
 * ({@link ServletSseTransport}). The async timeout is always set, a little beyond the
 * stream's maximum lifetime, so the container's default async timeout never ends a stream
 * with an error; the engine ends it first, with a retry hint.
 */
final class SseStreamOpener {

	private static final Duration TIMEOUT_MARGIN = Duration.ofMinutes(1);

	/** Seconds a client refused by the per-user limit is asked to wait ({@code Retry-After}). */
	static final int USER_LIMIT_RETRY_AFTER_SECONDS = 30;

	private final SseEngine engine;

	private final SsePrincipalResolver principalResolver;

	private final SseTopicAccess topicAccess;

	private final long asyncTimeoutMillis;

	private final boolean trimContainerBuffers;

	SseStreamOpener(SseEngine engine, SsePrincipalResolver principalResolver, SseTopicAccess topicAccess,
			Duration maxLifetime, boolean trimContainerBuffers) {
		this.engine = engine;
		this.principalResolver = principalResolver;
		this.topicAccess = topicAccess;
		this.asyncTimeoutMillis = maxLifetime.plus(TIMEOUT_MARGIN).toMillis();
		this.trimContainerBuffers = trimContainerBuffers;
	}

	SseEngine engine() {
		return this.engine;
	}

	/**
	 * Who sends the request, as the stream will know them for its whole life.
	 * @param request the request
	 * @return the subscriber (anonymous when no user is resolved)
	 */
	SseSubscriber subscriber(HttpServletRequest request) {
		String userId = this.principalResolver.resolveUserId(request);
		HttpSession session = request.getSession(false);
		if (userId == null) {
			return new SseSubscriber(null, (session != null) ? session.getId() : null, null, null);
		}
		return new SseSubscriber(userId, (session != null) ? session.getId() : null, request.getUserPrincipal(),
				this.principalResolver.resolveCredentialExpiry(request));
	}

	/**
	 * The first topic the subscriber may not have: any topic not granted by the rules, or,
	 * when {@code reservedOnly}, a reserved topic that is not the subscriber's own (the
	 * others were decided by the application's controller).
	 * @param subscriber who asks
	 * @param topics the topics
	 * @param reservedOnly whether only reserved topics are checked
	 * @return the refusal to throw, or {@code null}
	 */
	@Nullable SseRequestException refusal(SseSubscriber subscriber, Set<String> topics, boolean reservedOnly) {
		for (String topic : topics) {
			if (!reservedOnly || SseTopics.isReserved(topic)) {
				SseTopicAccess.Decision decision = this.topicAccess.decide(subscriber, topic);
				if (decision != SseTopicAccess.Decision.ALLOWED) {
					return forbidden(topic, decision);
				}
			}
		}
		return null;
	}

	private static SseRequestException forbidden(String topic, SseTopicAccess.Decision decision) {
		String detail = switch (decision) {
			case RESERVED -> "Topic '" + topic + "' is reserved: user:, session: and client: topics are assigned by the "
					+ "server to their owner and cannot be requested. Your own user and session topics are added "
					+ "automatically.";
			case DENIED -> "You may not subscribe to topic '" + topic + "': an authorization rule of this application "
					+ "(an SseTopicAuthorizer) denies it to you.";
			default -> "You may not subscribe to topic '" + topic + "': it is not a public topic "
					+ "(sse.security.allowed-topics) and no rule of this application grants it to you.";
		};
		return new SseRequestException(HttpStatus.FORBIDDEN, "forbidden-topic", detail).with("topic", topic)
			.with("refusal", decision.name().toLowerCase(Locale.ROOT).replace('_', '-'));
	}

	/**
	 * Open the stream and make the response an event stream.
	 * @param request the request
	 * @param response the response, written by the engine from now on
	 * @param subscriber who it is for
	 * @param topics the topics, already authorized
	 * @param lastEventId the id to resume after, or {@code null}
	 * @return the stream (closed already if the client went away before it began), or
	 * {@code null} when the engine refused it (the response then holds a retry hint and is
	 * complete)
	 * @throws SseRequestException (429) when the user has too many streams
	 * @throws IOException if the response cannot be streamed
	 */
	@Nullable SseConnection open(HttpServletRequest request, HttpServletResponse response, SseSubscriber subscriber,
			Set<String> topics, @Nullable String lastEventId) throws IOException {
		Instant expiresAt = subscriber.credentialExpiresAt();
		if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
			// Accepted within the authentication's clock skew, but the stream would end at once,
			// and its reconnects with the same token too.
			throw new SseRequestException(HttpStatus.UNAUTHORIZED, "token-expired",
					"Your token expired at " + expiresAt + "; get a fresh one and open the stream with it.");
		}
		ServletSseTransport transport = new ServletSseTransport(request, response, this.trimContainerBuffers);
		SseConnection connection;
		try {
			connection = this.engine.open(
					new SseSubscription(subscriber.userId(), subscriber.sessionId(), topics, lastEventId,
							subscriber.credentialExpiresAt()),
					transport);
		}
		catch (SseUserLimitException ex) {
			SseRequestException tooMany = new SseRequestException(HttpStatus.TOO_MANY_REQUESTS, "too-many-streams",
					"You already have " + ex.maxConnectionsPerUser() + " streams open "
							+ "(sse.limits.max-connections-per-user); close one, for example another tab, and retry.");
			tooMany.getHeaders().set(HttpHeaders.RETRY_AFTER, Integer.toString(USER_LIMIT_RETRY_AFTER_SECONDS));
			throw tooMany;
		}
		if (connection == null) {
			return null; // refused (shutting down or full): the transport already wrote why
		}
		try {
			if (!transport.begin(this.asyncTimeoutMillis)) {
				connection.transportClosed(CloseReason.CLIENT);
			}
		}
		catch (IOException | RuntimeException ex) {
			connection.transportClosed(CloseReason.ERROR);
			throw ex;
		}
		return connection;
	}

}
