package io.github.ssestarter.sample;

import java.net.CookieManager;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.ssestarter.test.SseTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as a newcomer uses it: log in through the form, get the page, watch the clock
 * tick into the stream, and publish as admin.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.clock.interval=200ms", "sse.heartbeat.interval=1s" })
class SampleApplicationTest {

	@LocalServerPort
	int port;

	@Test
	void formLoginLandsOnTheDemoPageWhoseStreamWorksWithTheSessionCookie() throws Exception {
		HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
		SampleHttp http = new SampleHttp(browser, this.port);
		String loginPage = browser.send(HttpRequest.newBuilder(http.uri("/login")).build(),
				HttpResponse.BodyHandlers.ofString()).body();
		Matcher csrf = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"").matcher(loginPage);
		assertThat(csrf.find()).as(loginPage).isTrue();
		HttpResponse<String> login = browser.send(HttpRequest.newBuilder(http.uri("/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("username=alice&password=alice&_csrf=" + csrf.group(1)))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(login.statusCode()).isEqualTo(302);
		assertThat(login.headers().firstValue("Location")).hasValueSatisfying((l) -> assertThat(l).endsWith("/"));
		HttpResponse<String> page = browser.send(HttpRequest.newBuilder(http.uri("/")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("/js/sse-client.js");
		try (SseTestClient stream = http.open("/api/v1/sse?topics=clock", Map.of())) {
			assertThat(stream.awaitResponse().status()).isEqualTo(200);
			assertThat(stream.awaitEvent("sse.connected").data()).contains("\"user:alice\"");
			assertThat(stream.awaitEvent("clock.tick").data()).startsWith("{\"time\":\"");
		}
	}

	@Test
	void theAdminPublishesWhatSubscribersReceive() throws Exception {
		SampleHttp http = new SampleHttp(this.port);
		try (SseTestClient stream = http.open("/api/v1/sse?topics=notifications", SampleHttp.basic("bob"))) {
			stream.awaitEvent("sse.connected");
			HttpResponse<String> published = http.publish(SampleHttp.basic("admin"),
					"{\"topics\":[\"notifications\"],\"event\":\"notification.created\",\"data\":{\"message\":\"Hi\"}}");
			assertThat(published.statusCode()).isEqualTo(202);
			assertThat(stream.awaitEvent("notification.created").data()).isEqualTo("{\"message\":\"Hi\"}");
		}
	}

	@Test
	void aPageThatRendersRestDataAndThenOpensItsStreamAfterThePositionMissesNothing() throws Exception {
		SampleHttp http = new SampleHttp(this.port);
		HttpResponse<String> me = http.get("/api/me", Map.of("Accept", "application/json", "Authorization",
				SampleHttp.basic("alice").get("Authorization")));
		assertThat(me.statusCode()).isEqualTo(200);
		Matcher position = Pattern.compile("\"position\":\"([^\"]+)\"").matcher(me.body());
		assertThat(position.find()).as(me.body()).isTrue();
		// published after the page's data was read and before its stream opened
		http.publish(SampleHttp.basic("admin"), "{\"topics\":[\"user:alice\"],\"event\":\"notification.created\","
				+ "\"data\":{\"message\":\"in between\"}}");
		try (SseTestClient stream = http.open("/api/v1/sse?lastEventId=" + position.group(1), SampleHttp.basic("alice"))) {
			assertThat(stream.awaitEvent("notification.created").data()).isEqualTo("{\"message\":\"in between\"}");
		}
	}

	@Test
	void aUserOpeningTheAdminPageGetsAStyled403AndTheFaviconNeedsNoLogin() throws Exception {
		SampleHttp http = new SampleHttp(this.port);
		HttpResponse<String> admin = http.get("/admin.html",
				Map.of("Accept", "text/html", "Authorization", SampleHttp.basic("alice").get("Authorization")));
		assertThat(admin.statusCode()).isEqualTo(403);
		assertThat(admin.body()).contains("This page is not for you").doesNotContain("Whitelabel");
		HttpResponse<String> favicon = http.get("/favicon.svg", Map.of("Accept", "image/svg+xml"));
		assertThat(favicon.statusCode()).isEqualTo(200);
		assertThat(favicon.body()).startsWith("<svg");
	}

}
