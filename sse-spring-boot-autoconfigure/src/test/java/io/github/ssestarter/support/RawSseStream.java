package io.github.ssestarter.support;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** A stream read line by line with the JDK's HTTP client, for assertions on the exact bytes (comments included). */
public final class RawSseStream {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private RawSseStream() {
	}

	/**
	 * Open a stream; fails unless the response headers arrive within 5 seconds, which they
	 * only do if the server flushes its first bytes at once.
	 */
	public static HttpResponse<InputStream> open(String url) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").build();
		return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()).get(5, TimeUnit.SECONDS);
	}

	public static BufferedReader lines(HttpResponse<InputStream> response) {
		return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
	}

}
