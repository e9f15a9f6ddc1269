package io.github.ssestarter.events;

import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;

import io.github.ssestarter.SseTopics;
import io.github.ssestarter.engine.CloseReason;
import io.github.ssestarter.engine.SseConnection;
import io.github.ssestarter.engine.SseStreamListener;

/**
 * Publishes {@link SseStreamOpenedEvent} and {@link SseStreamClosedEvent} as application
 * events from one thread of its own: the engine only adds a notice to a lock-free queue (no
 * listener runs on a container or writer thread, and the thread is not woken per notice: it
 * takes what is queued every {@value #TICK_MILLIS} ms), and a stream's closed event always
 * follows its opened event even when the engine reported the two in the other order.
 *
 * @since 0.3.0
 */
public final class SseStreamEventPublisher implements SseStreamListener, AutoCloseable {

	private static final Log logger = LogFactory.getLog(SseStreamEventPublisher.class);

	/** Closes reported before their stream's opening, kept until it arrives (bounded). */
	private static final int MAX_EARLY_CLOSES = 10_000;

	/** How often the queued notices are published. */
	static final long TICK_MILLIS = 10;

	private final ApplicationEventPublisher publisher;

	private final String node;

	private final Queue<Notice> notices = new ConcurrentLinkedQueue<>();

	private volatile boolean running = true;

	private final Thread thread;

	/** The streams whose opened event was published; only the publishing thread uses it. */
	private final Set<SseConnection> opened = new HashSet<>();

	private final Map<SseConnection, Notice> earlyCloses = new LinkedHashMap<>(16, 0.75f, false) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<SseConnection, Notice> eldest) {
			return size() > MAX_EARLY_CLOSES;
		}

	};

	/**
	 * Create the publisher and start its thread.
	 * @param publisher where the events go (the application context)
	 * @param node this node's name, put in every event
	 */
	public SseStreamEventPublisher(ApplicationEventPublisher publisher, String node) {
		this.publisher = publisher;
		this.node = node;
		this.thread = new Thread(this::run, "sse-stream-events");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	@Override
	public void opened(SseConnection connection) {
		this.notices.add(new Notice(connection, null, 0));
	}

	@Override
	public void closed(SseConnection connection, CloseReason reason) {
		this.notices.add(new Notice(connection, reason, System.currentTimeMillis()));
	}

	private void run() {
		for (boolean last = false; !last;) {
			last = !this.running; // once stopped, one last pass publishes what was queued
			Notice notice;
			while ((notice = this.notices.poll()) != null) {
				try {
					handle(notice);
				}
				catch (Throwable ex) { // a listener's failure must not stop the notices of others
					logger.error("An SSE stream event listener failed", ex);
				}
			}
			if (!last) {
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS));
			}
		}
	}

	private void handle(Notice notice) {
		SseConnection connection = notice.connection;
		if (notice.reason == null) {
			publishOpened(connection);
			Notice close = this.earlyCloses.remove(connection);
			if (close != null) {
				publishClosed(close);
			}
			else {
				this.opened.add(connection);
			}
		}
		else if (this.opened.remove(connection)) {
			publishClosed(notice);
		}
		else {
			this.earlyCloses.put(connection, notice);
		}
	}

	private void publishOpened(SseConnection connection) {
		this.publisher.publishEvent(new SseStreamOpenedEvent(connection.clientId(), connection.userId(),
				connection.sessionId(), visibleTopics(connection), this.node,
				Instant.ofEpochMilli(connection.openedAtMillis())));
	}

	private void publishClosed(Notice notice) {
		SseConnection connection = notice.connection;
		this.publisher.publishEvent(new SseStreamClosedEvent(connection.clientId(), connection.userId(),
				connection.sessionId(), visibleTopics(connection), this.node, notice.reason,
				Instant.ofEpochMilli(connection.openedAtMillis()), Instant.ofEpochMilli(notice.atMillis)));
	}

	/** The stream's topics without its {@code session:} topic, which would put the session id in logs. */
	private static Set<String> visibleTopics(SseConnection connection) {
		if (connection.sessionId() == null) {
			return connection.topics();
		}
		Set<String> topics = new LinkedHashSet<>(connection.topics());
		topics.removeIf((topic) -> topic.startsWith(SseTopics.SESSION_PREFIX));
		return Collections.unmodifiableSet(topics);
	}

	/**
	 * Publish what is queued, then stop the thread (bounded: a listener stuck for a second
	 * is left behind).
	 */
	@Override
	public void close() {
		this.running = false;
		LockSupport.unpark(this.thread);
		try {
			this.thread.join(1000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private record Notice(SseConnection connection, @Nullable CloseReason reason, long atMillis) {
	}

}
