package io.github.ssestarter.security;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.engine.CloseReason;
import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.test.SseReceivedEvent;
import io.github.ssestarter.test.SseTestClient;
import io.github.ssestarter.testapp.secured.SecuredTestApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream opened in a login session ends when the user logs out (Spring Security's form
 * login and logout, real cookies): its last event is {@code sse.ended}
 * ({@code session-ended}). The same user's stream in another session, and other users'
 * streams, carry on.
 */
@SpringBootTest(classes = SecuredTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class SessionEndIntegrationTest {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	@LocalServerPort
	int port;

	@Autowired
	SseEngine engine;

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	@Test
	void loggingOutEndsTheStreamsOfThatSessionOnly() throws Exception {
		HttpClient aliceLaptop = logIn("alice");
		HttpClient alicePhone = logIn("alice");
		HttpClient bob = logIn("bob");
		long endedBefore = this.engine.counters().closed(CloseReason.SESSION_ENDED);
		try (SseTestClient laptopStream = stream(aliceLaptop); SseTestClient phoneStream = stream(alicePhone);
				SseTestClient bobStream = stream(bob)) {
			this.engine.sendToUser("alice", SseEvent.of("note", "before logout"));
			assertThat(laptopStream.awaitEvent("note").data()).isEqualTo("before logout");

			logOut(aliceLaptop);

			SseReceivedEvent ended = laptopStream.awaitEvent("sse.ended");
			assertThat(ended.data()).contains("\"reason\":\"session-ended\"");
			assertThat(laptopStream.awaitEnd(Duration.ofSeconds(5))).isNull();
			assertThat(laptopStream.reconnectionTime()).isNotNull();
			assertThat(this.engine.counters().closed(CloseReason.SESSION_ENDED)).isEqualTo(endedBefore + 1);

			this.engine.sendToUser("alice", SseEvent.of("note", "after logout"));
			this.engine.sendToUser("bob", SseEvent.of("note", "for bob"));
			assertThat(phoneStream.awaitEvent((event) -> "after logout".equals(event.data()), "the later note",
					SseTestClient.DEFAULT_TIMEOUT)).isNotNull();
			assertThat(bobStream.awaitEvent("note").data()).isEqualTo("for bob");
			assertThat(laptopStream.received()).extracting(SseReceivedEvent::data).doesNotContain("after logout");
			assertThat(phoneStream.hasEnded()).isFalse();
			assertThat(bobStream.hasEnded()).isFalse();
		}
	}

	@Test
	void anotherLoginInTheSameBrowserEndsTheStreamsOfTheFormerOne() throws Exception {
		HttpClient browser = logIn("alice");
		long endedBefore = this.engine.counters().closed(CloseReason.SESSION_ENDED);
		try (SseTestClient aliceStream = stream(browser)) {
			logIn(browser, "bob"); // a new session id (session-fixation protection), now bob's
			assertThat(aliceStream.awaitEnd(Duration.ofSeconds(5))).isNull();
			assertThat(aliceStream.reconnectionTime()).as("told to reconnect, as whoever the browser now is").isNotNull();
			assertThat(aliceStream.received()).extracting(SseReceivedEvent::name).doesNotContain("sse.ended");
			assertThat(this.engine.counters().closed(CloseReason.SESSION_ENDED)).isEqualTo(endedBefore + 1);
			try (SseTestClient again = stream(browser)) {
				assertThat(again.received().get(0).data()).contains("\"user:bob\"");
			}
		}
	}

	private SseTestClient stream(HttpClient session) {
		SseTestClient client = SseTestClient.request(url("/api/v1/sse")).httpClient(session).open();
		client.awaitEvent("sse.connected");
		return client;
	}

	/** Spring Security's login form: its CSRF token, then the POST; the session cookie stays in the client. */
	private HttpClient logIn(String user) throws Exception {
		HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
		logIn(http, user);
		return http;
	}

	private void logIn(HttpClient http, String user) throws Exception {
		String token = csrfToken(http, "/login");
		HttpResponse<String> login = http.send(form("/login",
				"username=" + user + "&password=" + user + "&_csrf=" + encode(token)), HttpResponse.BodyHandlers.ofString());
		assertThat(login.statusCode()).isEqualTo(302);
		assertThat(login.headers().firstValue("Location")).hasValueSatisfying((to) -> assertThat(to).doesNotContain("error"));
	}

	private void logOut(HttpClient http) throws Exception {
		String token = csrfToken(http, "/logout");
		HttpResponse<String> logout = http.send(form("/logout", "_csrf=" + encode(token)),
				HttpResponse.BodyHandlers.ofString());
		assertThat(logout.statusCode()).as(logout.body()).isIn(204, 302);
	}

	private String csrfToken(HttpClient http, String page) throws Exception {
		String html = http.send(HttpRequest.newBuilder(URI.create(url(page))).build(), HttpResponse.BodyHandlers.ofString())
			.body();
		Matcher matcher = CSRF.matcher(html);
		assertThat(matcher.find()).as("a CSRF token in %s", page).isTrue();
		return matcher.group(1);
	}

	private HttpRequest form(String path, String body) {
		return HttpRequest.newBuilder(URI.create(url(path)))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
