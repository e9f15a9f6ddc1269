package io.github.ssestarter.sample;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Real HTTP against the running sample: requests with credentials, and streams read line by line. */
final class SampleHttp {

	private final HttpClient http;

	private final int port;

	SampleHttp(HttpClient http, int port) {
		this.http = http;
		this.port = port;
	}

	SampleHttp(int port) {
		this(HttpClient.newHttpClient(), port);
	}

	URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	static Map<String, String> basic(String user) {
		return Map.of("Authorization",
				"Basic " + Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8)));
	}

	HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
		if (!headers.containsKey("Accept")) {
			request.header("Accept", "text/event-stream");
		}
		headers.forEach(request::header);
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> publish(Map<String, String> headers, String json) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri("/api/v1/sse/events"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json));
		headers.forEach(request::header);
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** Open a stream; the response headers arrive at once, since the server flushes a first comment. */
	Stream open(String path, Map<String, String> headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Accept", "text/event-stream");
		headers.forEach(request::header);
		HttpResponse<InputStream> response = this.http
			.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream())
			.get(10, TimeUnit.SECONDS);
		return new Stream(response,
				new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8)));
	}

	/** An open stream. */
	record Stream(HttpResponse<InputStream> response, BufferedReader lines) implements AutoCloseable {

		int status() {
			return this.response.statusCode();
		}

		/** Read up to the given line; its next line (the data of an event line) is returned. */
		String dataAfter(String line) throws Exception {
			for (int i = 0; i < 500; i++) {
				String next = this.lines.readLine();
				if (next == null) {
					throw new AssertionError("The stream ended before '" + line + "'");
				}
				if (next.equals(line)) {
					return this.lines.readLine();
				}
			}
			throw new AssertionError("No '" + line + "' in 500 lines");
		}

		@Override
		public void close() throws Exception {
			this.lines.close();
		}

	}

}
