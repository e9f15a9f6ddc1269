package io.github.ssestarter.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;
import org.jspecify.annotations.Nullable;

/**
 * A real SSE client for tests, built on OkHttp's EventSource (a parser nobody here wrote).
 * It never reconnects, so each instance is one stream.
 */
public final class TestSseClient implements AutoCloseable {

	private static final OkHttpClient HTTP = new OkHttpClient.Builder().readTimeout(Duration.ZERO)
		.retryOnConnectionFailure(false)
		.build();

	/** One received event; {@code type} is "message" for unnamed events. */
	public record Event(@Nullable String id, String type, String data) {
	}

	private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

	private final CompletableFuture<Response> opened = new CompletableFuture<>();

	private final CompletableFuture<@Nullable Throwable> ended = new CompletableFuture<>();

	private final EventSource source;

	private TestSseClient(Request request) {
		this.source = EventSources.createFactory(HTTP).newEventSource(request, new EventSourceListener() {

			@Override
			public void onOpen(EventSource eventSource, Response response) {
				TestSseClient.this.opened.complete(response);
			}

			@Override
			public void onEvent(EventSource eventSource, @Nullable String id, @Nullable String type, String data) {
				TestSseClient.this.events.add(new Event(id, (type != null) ? type : "message", data));
			}

			@Override
			public void onClosed(EventSource eventSource) {
				TestSseClient.this.ended.complete(null);
			}

			@Override
			public void onFailure(EventSource eventSource, @Nullable Throwable failure, @Nullable Response response) {
				if (response != null) {
					TestSseClient.this.opened.complete(response);
				}
				TestSseClient.this.opened.completeExceptionally(
						(failure != null) ? failure : new IllegalStateException("failed: " + response));
				TestSseClient.this.ended.complete(failure);
			}

		});
	}

	public static TestSseClient connect(String url) {
		return connect(url, Map.of());
	}

	public static TestSseClient connect(String url, Map<String, String> headers) {
		Request.Builder request = new Request.Builder().url(url).header("Accept", "text/event-stream");
		headers.forEach(request::header);
		return new TestSseClient(request.build());
	}

	/** Wait for the response headers. */
	public Response awaitOpen() throws Exception {
		return this.opened.get(10, TimeUnit.SECONDS);
	}

	/** The next event, waiting up to 10 seconds. */
	public Event next() throws InterruptedException {
		Event event = this.events.poll(10, TimeUnit.SECONDS);
		if (event == null) {
			throw new AssertionError("No event within 10 s");
		}
		return event;
	}

	/** The next event of the given type, skipping others. */
	public Event next(String type) throws InterruptedException {
		Event event;
		do {
			event = next();
		}
		while (!event.type().equals(type));
		return event;
	}

	/** The next {@code count} events. */
	public List<Event> next(int count) throws InterruptedException {
		List<Event> received = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			received.add(next());
		}
		return received;
	}

	/** An event received within the given time, or null. */
	public @Nullable Event poll(Duration timeout) throws InterruptedException {
		return this.events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** Wait until the server ends the stream; returns the failure, if it failed. */
	public @Nullable Throwable awaitEnd(Duration timeout) throws Exception {
		return this.ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	public boolean hasEnded() {
		return this.ended.isDone();
	}

	@Override
	public void close() {
		this.source.cancel();
	}

}
