package io.github.ssestarter.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import io.github.ssestarter.test.SseTestClient;

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

	/** Open a stream with the test kit's client. */
	SseTestClient open(String path, Map<String, String> headers) {
		SseTestClient.Builder request = SseTestClient.request(uri(path).toString()).httpClient(this.http);
		headers.forEach(request::header);
		return request.open();
	}

}
