package io.github.ssestarter.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * One Server-Sent Events stream opened by a test against a running application
 * ({@code @SpringBootTest(webEnvironment = RANDOM_PORT)}), parsed by the rules of the HTML
 * standard, like a browser's {@code EventSource} but without reconnecting: each instance
 * is one HTTP request.
 * <pre>{@code
 * try (SseTestClient stream = SseTestClient.request("http://localhost:" + port + "/api/v1/sse?topics=news")
 *         .basicAuth("alice", "alice")
 *         .open()) {
 *     stream.awaitEvent("sse.connected");
 *     sse.publish("news", SseEvent.of("headline", "Hello"));
 *     assertThat(stream.awaitEvent("headline").data()).isEqualTo("Hello");
 * }
 * }</pre>
 * Waits are bounded (10 seconds unless told otherwise) and fail with an
 * {@link AssertionError} that says what was received. A response that is not an event
 * stream (a 401 or a 403 problem detail) is available from {@link #awaitResponse()}.
 *
 * @since 0.3.0
 */
public final class SseTestClient implements AutoCloseable {

	/** How long a wait lasts unless told otherwise. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(DEFAULT_TIMEOUT).build();

	private final BlockingQueue<SseReceivedEvent> pending = new LinkedBlockingQueue<>();

	private final List<SseReceivedEvent> received = new CopyOnWriteArrayList<>();

	private final List<String> comments = new CopyOnWriteArrayList<>();

	private final CompletableFuture<Response> response = new CompletableFuture<>();

	private final CompletableFuture<@Nullable Throwable> ended = new CompletableFuture<>();

	private final SseEventParser parser = new SseEventParser(this::dispatched, this.comments::add);

	private final CompletableFuture<HttpResponse<InputStream>> exchange;

	private volatile @Nullable InputStream body;

	private volatile boolean closed;

	private SseTestClient(HttpClient http, HttpRequest request) {
		this.exchange = http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
		this.exchange.whenComplete((result, failure) -> {
			if (failure != null) {
				this.response.completeExceptionally(failure);
				this.ended.complete(failure);
				return;
			}
			Thread reader = new Thread(() -> read(result), "sse-test-client");
			reader.setDaemon(true);
			reader.start();
		});
	}

	/**
	 * Open a stream with no credentials.
	 * @param url the stream's URL
	 * @return the stream, opening
	 */
	public static SseTestClient connect(String url) {
		return request(url).open();
	}

	/**
	 * Open a stream with extra request headers.
	 * @param url the stream's URL
	 * @param headers the headers
	 * @return the stream, opening
	 */
	public static SseTestClient connect(String url, Map<String, String> headers) {
		Builder builder = request(url);
		headers.forEach(builder::header);
		return builder.open();
	}

	/**
	 * Start describing the request that opens a stream.
	 * @param url the stream's URL
	 * @return a builder
	 */
	public static Builder request(String url) {
		return new Builder(url);
	}

	private void read(HttpResponse<InputStream> result) {
		this.body = result.body();
		String contentType = result.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
		if (result.statusCode() != 200 || !contentType.startsWith("text/event-stream")) {
			String text;
			try (InputStream in = result.body()) {
				text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				text = "";
			}
			this.response.complete(new Response(result.statusCode(), result.headers().map(), text));
			this.ended.complete(null);
			return;
		}
		this.response.complete(new Response(result.statusCode(), result.headers().map(), null));
		Throwable failure = null;
		try (Reader characters = new BufferedReader(new InputStreamReader(result.body(), StandardCharsets.UTF_8))) {
			this.parser.read(characters);
		}
		catch (IOException ex) {
			failure = this.closed ? null : ex;
		}
		this.ended.complete(failure);
	}

	private void dispatched(SseReceivedEvent event) {
		this.received.add(event);
		this.pending.add(event);
	}

	/**
	 * The response's status and headers (and its body, when it is not an event stream),
	 * waiting for them up to {@link #DEFAULT_TIMEOUT}.
	 * @return the response
	 */
	public Response awaitResponse() {
		try {
			return this.response.get(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting for the response", ex);
		}
		catch (ExecutionException ex) {
			throw new AssertionError("The request failed: " + ex.getCause(), ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new AssertionError("No response within " + DEFAULT_TIMEOUT);
		}
	}

	/**
	 * The next event not taken yet, waiting up to {@link #DEFAULT_TIMEOUT}.
	 * @return the event
	 * @throws AssertionError if none arrives in time
	 */
	public SseReceivedEvent awaitEvent() {
		return awaitEvent((event) -> true, "an event", DEFAULT_TIMEOUT);
	}

	/**
	 * The next event with the given name, skipping (and taking) others, waiting up to
	 * {@link #DEFAULT_TIMEOUT}.
	 * @param name the event name ({@code "message"} for unnamed events)
	 * @return the event
	 * @throws AssertionError if none arrives in time
	 */
	public SseReceivedEvent awaitEvent(String name) {
		return awaitEvent((event) -> event.isNamed(name), "an event named '" + name + "'", DEFAULT_TIMEOUT);
	}

	/**
	 * The next event that matches, skipping (and taking) others.
	 * @param condition what the event must satisfy
	 * @param description what is awaited, for the failure message
	 * @param timeout how long to wait
	 * @return the event
	 * @throws AssertionError if none arrives in time
	 */
	public SseReceivedEvent awaitEvent(Predicate<SseReceivedEvent> condition, String description,
			Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		try {
			for (;;) {
				long left = deadline - System.nanoTime();
				SseReceivedEvent event = (left > 0) ? this.pending.poll(left, TimeUnit.NANOSECONDS) : null;
				if (event == null) {
					throw new AssertionError("Expected " + description + " within " + timeout + "; received "
							+ this.received + state());
				}
				if (condition.test(event)) {
					return event;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting for " + description, ex);
		}
	}

	/** How the exchange stands, for failure messages. */
	private String state() {
		if (!this.response.isDone()) {
			return "; no response yet";
		}
		if (this.response.isCompletedExceptionally()) {
			return "; the request failed: " + this.ended.getNow(null);
		}
		Response answer = this.response.join();
		if (answer.body() != null) {
			String body = answer.body();
			return "; the server answered " + answer.status() + " (not an event stream): "
					+ ((body.length() > 300) ? body.substring(0, 300) + "..." : body);
		}
		if (this.ended.isDone()) {
			Throwable failure = this.ended.getNow(null);
			return (failure != null) ? "; the stream failed: " + failure : "; the server ended the stream";
		}
		return "";
	}

	/**
	 * The next {@code count} events not taken yet, waiting up to {@link #DEFAULT_TIMEOUT}
	 * for each.
	 * @param count how many
	 * @return the events, in order
	 * @throws AssertionError if they do not arrive in time
	 */
	public List<SseReceivedEvent> awaitEvents(int count) {
		List<SseReceivedEvent> events = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			events.add(awaitEvent());
		}
		return events;
	}

	/**
	 * The next event not taken yet if one arrives in time.
	 * @param timeout how long to wait
	 * @return the event, or {@code null}
	 */
	public @Nullable SseReceivedEvent poll(Duration timeout) {
		try {
			return this.pending.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/**
	 * Every event received so far, taken or not, in order.
	 * @return the events
	 */
	public List<SseReceivedEvent> received() {
		return List.copyOf(this.received);
	}

	/**
	 * Every comment line received so far (heartbeats, for example), without the colon.
	 * @return the comments
	 */
	public List<String> comments() {
		return List.copyOf(this.comments);
	}

	/**
	 * The reconnection time the server last set with a {@code retry:} field.
	 * @return the time, or {@code null} if none was set
	 */
	public @Nullable Duration reconnectionTime() {
		return this.parser.reconnectionTime();
	}

	/**
	 * Wait until the server ends the stream.
	 * @param timeout how long to wait
	 * @return the failure that ended it, or {@code null} when the server completed it
	 * @throws AssertionError if it does not end in time
	 */
	public @Nullable Throwable awaitEnd(Duration timeout) {
		try {
			return this.ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting for the stream to end", ex);
		}
		catch (ExecutionException ex) {
			return ex.getCause();
		}
		catch (TimeoutException ex) {
			throw new AssertionError("The stream did not end within " + timeout + "; received " + this.received
					+ state());
		}
	}

	/**
	 * Whether the stream has ended (by the server, a failure, or {@link #close()}).
	 * @return {@code true} if it has
	 */
	public boolean hasEnded() {
		return this.ended.isDone();
	}

	/** Close the connection, as a client going away would. */
	@Override
	public void close() {
		this.closed = true;
		this.exchange.cancel(true);
		InputStream in = this.body;
		if (in != null) {
			try {
				in.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}
	}

	/**
	 * The response that answered the request.
	 *
	 * @param status the HTTP status
	 * @param headers the headers (names in lower case)
	 * @param body the body when the response is not an event stream (a problem detail,
	 * for example), or {@code null}
	 */
	public record Response(int status, Map<String, List<String>> headers, @Nullable String body) {

		/**
		 * The first value of a header.
		 * @param name the header name, in any case
		 * @return the value, or {@code null}
		 */
		public @Nullable String header(String name) {
			for (Map.Entry<String, List<String>> header : this.headers.entrySet()) {
				if (header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty()) {
					return header.getValue().get(0);
				}
			}
			return null;
		}

	}

	/**
	 * Describes the request that opens a stream.
	 */
	public static final class Builder {

		private final String url;

		private final Map<String, String> headers = new LinkedHashMap<>();

		private final Map<String, String> query = new LinkedHashMap<>();

		private HttpClient http = HTTP;

		private Builder(String url) {
			this.url = url;
			this.headers.put("Accept", "text/event-stream");
		}

		/**
		 * Add a request header.
		 * @param name the name
		 * @param value the value
		 * @return this builder
		 */
		public Builder header(String name, String value) {
			this.headers.put(name, value);
			return this;
		}

		/**
		 * Send HTTP Basic credentials.
		 * @param user the user name
		 * @param password the password
		 * @return this builder
		 */
		public Builder basicAuth(String user, String password) {
			String credentials = user + ":" + password;
			return header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}

		/**
		 * Send a bearer token.
		 * @param token the token
		 * @return this builder
		 */
		public Builder bearerToken(String token) {
			return header("Authorization", "Bearer " + token);
		}

		/**
		 * Resume after an event, as a browser reconnecting does ({@code Last-Event-ID}).
		 * @param id the last event id received
		 * @return this builder
		 */
		public Builder lastEventId(String id) {
			return header("Last-Event-ID", id);
		}

		/**
		 * Add a query parameter (encoded here).
		 * @param name the name
		 * @param value the value
		 * @return this builder
		 */
		public Builder queryParam(String name, String value) {
			this.query.put(name, value);
			return this;
		}

		/**
		 * Send the request with this client, for example one with a cookie handler that
		 * holds the session of a form login.
		 * @param http the client
		 * @return this builder
		 */
		public Builder httpClient(HttpClient http) {
			this.http = http;
			return this;
		}

		/**
		 * Send the request.
		 * @return the stream, opening
		 */
		public SseTestClient open() {
			StringBuilder target = new StringBuilder(this.url);
			char separator = this.url.contains("?") ? '&' : '?';
			for (Map.Entry<String, String> parameter : this.query.entrySet()) {
				target.append(separator)
					.append(URLEncoder.encode(parameter.getKey(), StandardCharsets.UTF_8))
					.append('=')
					.append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
				separator = '&';
			}
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.toString())).GET();
			this.headers.forEach(request::header);
			return new SseTestClient(this.http, request.build());
		}

	}

}
