package io.github.ssestarter.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.ssestarter.testapp.secured.SecuredTestApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page on another origin opens and resumes streams: the preflight of a reconnect (which
 * carries {@code Last-Event-ID}) is answered before authentication, for listed origins only.
 */
@SpringBootTest(classes = SecuredTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.web.cors.allowed-origins=https://app.example.com", "sse.web.cors.allow-credentials=true" })
class SseCorsIntegrationTest {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	private HttpResponse<String> preflight(String path, String origin, String method, String headers)
			throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
			.header("Origin", origin)
			.header("Access-Control-Request-Method", method)
			.header("Access-Control-Request-Headers", headers)
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void aListedOriginMayResumeAStreamWithCredentials() throws Exception {
		HttpResponse<String> response = preflight("/api/v1/sse", "https://app.example.com", "GET", "last-event-id");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
		assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
		assertThat(response.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().toLowerCase())
			.contains("last-event-id");
	}

	@Test
	void aListedOriginMayPublishJson() throws Exception {
		HttpResponse<String> response = preflight("/api/v1/sse/events", "https://app.example.com", "POST",
				"content-type");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("POST");
	}

	@Test
	void otherOriginsAreRefused() throws Exception {
		HttpResponse<String> response = preflight("/api/v1/sse", "https://evil.example.net", "GET", "last-event-id");
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
	}

}
