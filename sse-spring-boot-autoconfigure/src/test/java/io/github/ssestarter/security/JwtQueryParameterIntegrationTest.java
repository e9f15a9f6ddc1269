package io.github.ssestarter.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;

import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseService;
import io.github.ssestarter.engine.CloseReason;
import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.test.SseReceivedEvent;
import io.github.ssestarter.test.SseTestClient;
import io.github.ssestarter.testapp.jwt.JwtTestApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JWT resource server: an EventSource cannot send an {@code Authorization} header, so the
 * token comes in the {@code access_token} query parameter of the stream request, and the
 * user id from a claim. Tokens are signed locally.
 */
@SpringBootTest(classes = JwtTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.security.user-id-attribute=preferred_username",
				"sse.security.publish-authority=SCOPE_sse.publish" })
class JwtQueryParameterIntegrationTest {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	SseService sse;

	@Autowired
	SseEngine engine;

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	private static String token(String username, String scope, Instant expires) {
		return JwtTestApplication.sign(new JWTClaimsSet.Builder().subject("id-" + username)
			.claim("preferred_username", username)
			.claim("scope", scope)
			.expirationTime(Date.from(expires))
			.build());
	}

	private static String token(String username) {
		return token(username, "profile", Instant.now().plusSeconds(300));
	}

	@Test
	void theTokenInTheQueryOpensTheStreamOfTheUserNamedByTheClaim() throws Exception {
		try (SseTestClient carol = SseTestClient.connect(url("/api/v1/sse?access_token=" + token("carol")))) {
			assertThat(carol.awaitEvent("sse.connected").data()).contains("\"user:carol\"").doesNotContain("id-carol");
			this.sse.sendToUser("carol", SseEvent.of("private", "for carol"));
			assertThat(carol.awaitEvent().data()).isEqualTo("for carol");
		}
	}

	@Test
	void theHeaderStillWorksForClientsThatCanSendIt() throws Exception {
		try (SseTestClient dave = SseTestClient.connect(url("/api/v1/sse"),
				Map.of("Authorization", "Bearer " + token("dave")))) {
			assertThat(dave.awaitEvent("sse.connected").data()).contains("\"user:dave\"");
		}
	}

	@Test
	void theStreamEndsWhenItsTokenExpiresAndTellsTheClientWhy() throws Exception {
		long expiredBefore = this.engine.counters().closed(CloseReason.TOKEN_EXPIRED);
		Instant expires = Instant.now().plusSeconds(3);
		try (SseTestClient gina = SseTestClient.connect(url("/api/v1/sse?access_token=" + token("gina", "profile", expires)));
				SseTestClient hank = SseTestClient.connect(url("/api/v1/sse?access_token=" + token("hank")))) {
			gina.awaitEvent("sse.connected");
			hank.awaitEvent("sse.connected");
			this.sse.sendToUser("gina", SseEvent.of("private", "while valid"));
			assertThat(gina.awaitEvent("private").data()).isEqualTo("while valid");

			SseReceivedEvent ended = gina.awaitEvent("sse.ended");
			assertThat(Instant.now()).isAfterOrEqualTo(expires.truncatedTo(ChronoUnit.SECONDS));
			assertThat(ended.data()).contains("\"reason\":\"token-expired\"");
			assertThat(gina.awaitEnd(Duration.ofSeconds(5))).isNull();
			assertThat(gina.reconnectionTime()).isNotNull();
			assertThat(this.engine.counters().closed(CloseReason.TOKEN_EXPIRED)).isEqualTo(expiredBefore + 1);
			assertThat(hank.hasEnded()).as("a stream whose token is still valid").isFalse();
		}
	}

	@Test
	void aTokenThatExpiredWithinTheClockSkewIs401NotAStreamThatEndsAtOnce() throws Exception {
		String expired = token("ivy", "profile", Instant.now().minusSeconds(20)); // Spring Security allows 60 s
		HttpResponse<String> response = get("/api/v1/sse?access_token=" + expired);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
		assertThat(response.body()).contains("token-expired").contains("get a fresh one");
	}

	@Test
	void missingInvalidAndExpiredTokensAre401() throws Exception {
		assertThat(get("/api/v1/sse").statusCode()).isEqualTo(401);
		assertThat(get("/api/v1/sse?access_token=not.a.token").statusCode()).isEqualTo(401);
		String expired = token("erin", "profile", Instant.now().minusSeconds(120));
		assertThat(get("/api/v1/sse?access_token=" + expired).statusCode()).isEqualTo(401);
		String forged = token("erin").substring(0, token("erin").lastIndexOf('.')) + ".AAAA";
		assertThat(get("/api/v1/sse?access_token=" + forged).statusCode()).isEqualTo(401);
	}

	@Test
	void onlyStreamRequestsAcceptTheTokenInTheQuery() throws Exception {
		HttpResponse<String> viaQuery = post("/api/v1/sse/events?access_token=" + token("frank", "sse.publish",
				Instant.now().plusSeconds(300)), Map.of());
		assertThat(viaQuery.statusCode()).isEqualTo(401);
		HttpResponse<String> noScope = post("/api/v1/sse/events", Map.of("Authorization", "Bearer " + token("frank")));
		assertThat(noScope.statusCode()).isEqualTo(403);
		HttpResponse<String> scoped = post("/api/v1/sse/events", Map.of("Authorization",
				"Bearer " + token("frank", "profile sse.publish", Instant.now().plusSeconds(300))));
		assertThat(scoped.statusCode()).as(scoped.body()).isEqualTo(202);
	}

	private HttpResponse<String> get(String path) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).header("Accept", "text/event-stream").build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, Map<String, String> headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"broadcast\":true,\"data\":\"x\"}"));
		headers.forEach(request::header);
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
