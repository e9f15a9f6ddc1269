package io.github.ssestarter.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseTopics;
import io.github.ssestarter.engine.CloseReason;
import io.github.ssestarter.engine.SseConnection;
import io.github.ssestarter.engine.SseEngine;

/**
 * A stream that an application's controller returns, as it would return an
 * {@link SseEmitter}, subscribed to the topics the controller chose; created by
 * {@link io.github.ssestarter.SseService#stream(Collection)}.
 * <pre>{@code
 * @GetMapping("/orders/{id}/events")
 * SseEmitter orderEvents(@PathVariable long id, Principal user) {
 *     Order order = orders.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
 *     if (!order.owner().equals(user.getName())) {
 *         throw new ResponseStatusException(HttpStatus.FORBIDDEN);
 *     }
 *     return sse.stream("order:" + id);
 * }
 * }</pre>
 * <p>
 * The controller's own checks decide its topics: no {@code sse.security.allowed-topics}
 * entry or {@link io.github.ssestarter.security.SseTopicAuthorizer} is consulted for them.
 * Reserved topics ({@code user:}, {@code session:}, {@code client:}) are still refused
 * unless they are the requesting user's or session's own, and the request's own
 * {@code user:}, {@code session:} and {@code client:} topics are added as on the built-in
 * endpoint. Everything else is the engine's: the {@code sse.connected} event, replay from
 * {@code Last-Event-ID} or {@code ?lastEventId=}, heartbeats, limits, lifetime, shutdown,
 * meters, and problem details for a refusal before the stream opens.
 * <p>
 * Events usually reach the stream by being published to its topics from anywhere. The
 * {@code SseEmitter} methods work too: {@code send(...)} publishes to this stream alone
 * (its {@code client:} topic), so such events get ids, are replayed after a reconnect and
 * come in the same order as the others; events sent before the controller returns are
 * published as soon as the stream opens. {@link #complete()} ends the stream after what it
 * was sent, with a retry hint (an {@code EventSource} then reconnects). Completion, timeout
 * and error callbacks run once the stream has closed, on another thread.
 *
 * @since 0.3.0
 */
public final class SseStream extends SseEmitter {

	private static final Log logger = LogFactory.getLog(SseStream.class);

	/** The most events sent before the stream opens (the controller has not returned yet). */
	static final int MAX_EARLY_EVENTS = 1000;

	private final Set<String> topics;

	private final @Nullable String startPosition;

	private final Object lock = new Object();

	/** Guarded by {@link #lock}; set when the stream opens. */
	private @Nullable SseEngine engine;

	/** Guarded by {@link #lock}; set when the stream opens. */
	private @Nullable SseConnection connection;

	/**
	 * The stream was refused, or has closed. Not guarded by {@link #lock}: the engine sets
	 * it while holding its own locks, which a send holds the stream's lock to take.
	 */
	private volatile boolean finished;

	/** The application called {@code complete()} or {@code completeWithError()}. */
	private volatile boolean completed;

	/** Guarded by {@link #lock}: sent before the stream opened. */
	private final List<SseEvent> early = new ArrayList<>();

	/** Guarded by {@link #lock}: {@code complete()} was called before the stream opened. */
	private @Nullable CloseReason endRequested;

	private volatile @Nullable String lastSentId;

	private final List<Runnable> completionCallbacks = new CopyOnWriteArrayList<>();

	private final List<Runnable> timeoutCallbacks = new CopyOnWriteArrayList<>();

	private final List<Consumer<Throwable>> errorCallbacks = new CopyOnWriteArrayList<>();

	/**
	 * Create a stream that starts with the events published once it opens; see
	 * {@link io.github.ssestarter.SseService#stream(Collection)}.
	 * @param topics the topics
	 * @throws IllegalArgumentException if a topic is not valid
	 */
	public SseStream(Collection<String> topics) {
		this(topics, null);
	}

	/**
	 * Create a stream that starts after an event: what is published after it (while the
	 * controller still runs, for example) reaches the stream, read from the history when
	 * it opens, and a client that comes back with {@code Last-Event-ID} resumes from there.
	 * @param topics the topics
	 * @param startPosition the id of the last event published before the stream, or
	 * {@code null} to start with the events published once it opens
	 * @throws IllegalArgumentException if a topic is not valid
	 */
	public SseStream(Collection<String> topics, @Nullable String startPosition) {
		this.startPosition = startPosition;
		Set<String> checked = new LinkedHashSet<>();
		for (String topic : topics) {
			checked.add(SseTopics.requirePublishable(topic)); // whatever a publisher can address
		}
		this.topics = Set.copyOf(checked);
	}

	/**
	 * The topics the controller chose (the server adds the request's own reserved topics).
	 * @return the topics
	 */
	public Set<String> topics() {
		return this.topics;
	}

	/**
	 * Where the stream starts when the client does not resume from an id of its own.
	 * @return the id of the last event before the stream, or {@code null}
	 */
	@Nullable String startPosition() {
		return this.startPosition;
	}

	/**
	 * The stream's client id once it is open (the {@code client:} topic that reaches it alone).
	 * @return the client id, or {@code null} before the stream opens or if it was refused
	 */
	public @Nullable String clientId() {
		synchronized (this.lock) {
			return (this.connection != null) ? this.connection.clientId() : null;
		}
	}

	/**
	 * Publish an event to this stream alone.
	 * @param event the event
	 * @throws IOException if the stream has closed (the client went away, or the server
	 * ended it)
	 * @throws IllegalStateException if the application completed the stream, or too many
	 * events were sent before it opened
	 */
	public void send(SseEvent event) throws IOException {
		if (this.completed) {
			throw new IllegalStateException("The stream was completed; nothing more can be sent");
		}
		synchronized (this.lock) {
			SseConnection open = this.connection;
			if (open == null) {
				if (this.finished) {
					throw new IllegalStateException("The stream was refused; nothing can be sent");
				}
				if (this.early.size() >= MAX_EARLY_EVENTS) {
					throw new IllegalStateException("At most " + MAX_EARLY_EVENTS + " events can be sent before the "
							+ "stream opens; publish to its topics instead");
				}
				this.early.add(event);
				return;
			}
			if (!open.isOpen()) {
				throw new IOException("The SSE stream " + open.clientId() + " has closed");
			}
			this.lastSentId = this.engine.sendToClient(open.clientId(), event);
		}
	}

	@Override
	public void send(Object object) throws IOException {
		send(object, null);
	}

	@Override
	public void send(Object object, @Nullable MediaType mediaType) throws IOException {
		send((object instanceof SseEvent event) ? event : SseEvent.ofData(object));
	}

	/**
	 * Publish the event the builder describes to this stream alone; see
	 * {@link #send(SseEvent)}. An event without data (a comment, a name or a retry hint
	 * alone) is not sent: a browser would not dispatch it.
	 * @param builder the event, without {@code id(..)}: the server assigns ids
	 * @throws IOException if the stream has closed
	 */
	@Override
	public void send(SseEventBuilder builder) throws IOException {
		send(builder.build());
	}

	@Override
	public void send(Set<DataWithMediaType> items) throws IOException {
		SseEvent event = SseEmitterEvents.toEvent(items);
		if (event != null) {
			send(event);
		}
	}

	/** End the stream after the events it was sent, with a retry hint. */
	@Override
	public void complete() {
		end(CloseReason.EVICTED);
	}

	/**
	 * End the stream after the events it was sent, with a retry hint; the failure is logged
	 * at DEBUG and the stream counted as closed by an error.
	 * @param failure what went wrong
	 */
	@Override
	public void completeWithError(Throwable failure) {
		if (logger.isDebugEnabled()) {
			logger.debug("SSE stream " + clientId() + " completed with an error", failure);
		}
		end(CloseReason.ERROR);
	}

	private void end(CloseReason reason) {
		SseEngine current;
		SseConnection open;
		synchronized (this.lock) {
			this.completed = true;
			open = this.connection;
			current = this.engine;
			if (open == null) {
				if (!this.finished && this.endRequested == null) {
					this.endRequested = reason;
				}
				return;
			}
		}
		current.end(open, this.lastSentId, reason);
	}

	@Override
	public void onTimeout(Runnable callback) {
		this.timeoutCallbacks.add(callback);
	}

	@Override
	public void onError(Consumer<Throwable> callback) {
		this.errorCallbacks.add(callback);
	}

	@Override
	public void onCompletion(Runnable callback) {
		this.completionCallbacks.add(callback);
	}

	/** The stream is open: publish what was sent meanwhile, and end it if it was completed. */
	void opened(SseEngine engine, SseConnection connection) {
		CloseReason end;
		synchronized (this.lock) {
			this.engine = engine;
			this.connection = connection;
			for (SseEvent event : this.early) {
				this.lastSentId = engine.sendToClient(connection.clientId(), event);
			}
			this.early.clear();
			end = this.endRequested;
		}
		connection.whenClosing(this::closing);
		if (end != null) {
			engine.end(connection, this.lastSentId, end);
		}
	}

	/** The stream was refused before it opened, or cannot open. */
	void refused() {
		synchronized (this.lock) {
			this.finished = true;
			this.early.clear();
		}
		ForkJoinPool.commonPool().execute(() -> run(this.completionCallbacks));
	}

	private void closing(CloseReason reason) {
		this.finished = true;
		// Off the closing thread, which may hold the engine's locks.
		ForkJoinPool.commonPool().execute(() -> {
			if (reason == CloseReason.TIMEOUT) {
				run(this.timeoutCallbacks);
			}
			else if (reason == CloseReason.CLIENT || reason == CloseReason.SLOW || reason == CloseReason.ERROR) {
				IOException failure = new IOException("The SSE stream closed: " + reason.tagValue());
				for (Consumer<Throwable> callback : this.errorCallbacks) {
					run(List.of(() -> callback.accept(failure)));
				}
			}
			run(this.completionCallbacks);
		});
	}

	private static void run(List<Runnable> callbacks) {
		for (Runnable callback : callbacks) {
			try {
				callback.run();
			}
			catch (RuntimeException ex) {
				logger.warn("An SSE stream callback failed", ex);
			}
		}
	}

	@Override
	public String toString() {
		return "SseStream" + this.topics;
	}

}
