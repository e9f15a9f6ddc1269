package io.github.ssestarter.web;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseService;
import io.github.ssestarter.engine.CloseReason;
import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.test.SseReceivedEvent;
import io.github.ssestarter.test.SseTestClient;
import io.github.ssestarter.testapp.streams.StreamsTestApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Streams returned by the application's own controllers, over real HTTP: the controller's
 * checks decide the topics, the engine does the rest.
 */
@SpringBootTest(classes = StreamsTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.mvc.problemdetails.enabled=true", "sse.limits.max-connections-per-user=3",
				"sse.heartbeat.interval=200ms" })
@ExtendWith(OutputCaptureExtension.class)
class ControllerStreamIntegrationTest {

	@LocalServerPort
	int port;

	@Autowired
	SseService sse;

	@Autowired
	SseEngine engine;

	@Autowired
	BlockingQueue<String> callbacks;

	private SseTestClient.Builder as(String user, String path) {
		return SseTestClient.request("http://localhost:" + this.port + path).basicAuth(user, user);
	}

	@Test
	void theOwnerReceivesWhatIsPublishedToTheTopicTheControllerChoseAndToTheirOwnTopics() {
		try (SseTestClient stream = as("alice", "/orders/42/events").open()) {
			assertThat(stream.awaitResponse().header("Content-Type")).startsWith("text/event-stream");
			stream.awaitEvent("sse.connected");
			String shipped = this.sse.publish("order:42", SseEvent.of("order.shipped", "on its way"));
			this.sse.publish("order:43", SseEvent.of("order.shipped", "not alice's"));
			String personal = this.sse.sendToUser("alice", SseEvent.of("note", "for alice"));
			assertThat(stream.awaitEvents(2)).containsExactly(
					new SseReceivedEvent(shipped, "order.shipped", "on its way", null),
					new SseReceivedEvent(personal, "note", "for alice", null));
		}
		// The built-in endpoint still refuses the topic: no rule makes it public.
		try (SseTestClient stream = as("alice", "/api/v1/sse?topics=order:42").open()) {
			assertThat(stream.awaitResponse().status()).isEqualTo(403);
		}
	}

	@Test
	void theControllersOwnRefusalsAreProblemDetails() {
		assertProblem(as("bob", "/orders/42/events").open(), 403, "Order 42 is not yours");
		assertProblem(as("alice", "/orders/7/events").open(), 404, "There is no order 7");
		assertProblem(SseTestClient.connect("http://localhost:" + this.port + "/orders/42/events"), 401,
				"This event stream requires an authenticated user");
	}

	@Test
	void anEventPublishedWhileTheControllerRunsReachesTheStream() throws Exception {
		this.callbacks.clear();
		try (SseTestClient stream = as("alice", "/busy").open()) {
			SseReceivedEvent connected = stream.awaitEvent("sse.connected");
			String during = this.callbacks.poll(10, TimeUnit.SECONDS);
			assertThat(stream.awaitEvent())
				.isEqualTo(new SseReceivedEvent(during, "during", "published while the controller ran", null));
			assertThat(connected.id()).as("the stream starts before the event").isNotEqualTo(during);
		}
	}

	@Test
	void aReservedTopicOfSomeoneElseIsRefusedEvenFromAController() {
		assertProblem(as("alice", "/peek/bob").open(), 403, "Topic 'user:bob' is reserved");
		try (SseTestClient own = as("alice", "/peek/alice").open()) {
			own.awaitEvent("sse.connected");
			String id = this.sse.sendToUser("alice", SseEvent.ofData("mine"));
			assertThat(own.awaitEvent()).isEqualTo(new SseReceivedEvent(id, "message", "mine", null));
		}
	}

	private static void assertProblem(SseTestClient stream, int status, String detail) {
		try (stream) {
			SseTestClient.Response response = stream.awaitResponse();
			assertThat(response.status()).isEqualTo(status);
			assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
			assertThat(response.body()).contains(detail);
		}
	}

	@Test
	void aClientResumingWithLastEventIdGetsExactlyWhatItMissed() {
		List<String> ids = new ArrayList<>();
		String seen;
		try (SseTestClient stream = as("bob", "/orders/43/events").open()) {
			stream.awaitEvent("sse.connected");
			for (int i = 0; i < 3; i++) {
				ids.add(this.sse.publish("order:43", SseEvent.ofData("e" + i)));
			}
			seen = stream.awaitEvents(3).get(2).id();
		}
		for (int i = 3; i < 5; i++) {
			ids.add(this.sse.publish("order:43", SseEvent.ofData("e" + i)));
		}
		try (SseTestClient resumed = as("bob", "/orders/43/events").lastEventId(seen).open()) {
			resumed.awaitEvent("sse.connected");
			assertThat(resumed.awaitEvents(2)).extracting(SseReceivedEvent::id, SseReceivedEvent::data)
				.containsExactly(org.assertj.core.groups.Tuple.tuple(ids.get(3), "e3"),
						org.assertj.core.groups.Tuple.tuple(ids.get(4), "e4"));
		}
	}

	@Test
	void eventsSentThroughTheEmitterApiGetIdsAndCompleteEndsTheStreamAfterThem() throws Exception {
		this.callbacks.clear();
		try (SseTestClient stream = as("alice", "/greeting").open()) {
			stream.awaitEvent("sse.connected");
			SseReceivedEvent hello = stream.awaitEvent();
			SseReceivedEvent text = stream.awaitEvent();
			assertThat(hello.name()).isEqualTo("hello");
			assertThat(hello.data()).isEqualTo("{\"to\":\"you\"}");
			assertThat(text.name()).isEqualTo("message");
			assertThat(text.data()).isEqualTo("plain text");
			assertThat(hello.id()).isNotEmpty().isNotEqualTo(text.id());
			assertThat(stream.awaitEnd(Duration.ofSeconds(10))).isNull();
			assertThat(stream.reconnectionTime()).isNotNull();
		}
		assertThat(this.callbacks.poll(10, TimeUnit.SECONDS)).isEqualTo("greeting completed");
	}

	@Test
	void callbacksRunWhenTheStreamCloses() throws Exception {
		this.callbacks.clear();
		try (SseTestClient stream = as("alice", "/watched").open()) {
			String clientId = stream.awaitEvent("sse.connected").data().replaceAll(".*\"clientId\":\"([^\"]+)\".*", "$1");
			assertThat(this.sse.disconnectClient(clientId)).isTrue();
			assertThat(stream.awaitEnd(Duration.ofSeconds(10))).isNull();
		}
		assertThat(this.callbacks.poll(10, TimeUnit.SECONDS)).isEqualTo("watched completed");
		assertThat(this.callbacks).isEmpty(); // closed by the application: not an error
	}

	@Test
	void clientsThatVanishFromAControllerStreamCloseQuietlyAndTellItsCallbacks(CapturedOutput output)
			throws Exception {
		this.callbacks.clear();
		String credentials = Base64.getEncoder().encodeToString("bob:bob".getBytes(StandardCharsets.US_ASCII));
		List<Socket> sockets = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			Socket socket = new Socket("127.0.0.1", this.port);
			socket.getOutputStream()
				.write(("GET /watched HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\nAuthorization: Basic "
						+ credentials + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			assertThat(socket.getInputStream().read(new byte[512])).as("the stream opened").isPositive();
			sockets.add(socket);
		}
		await().until(() -> this.engine.registry().subscribers("watched").size() == 3);
		for (Socket socket : sockets) {
			socket.setSoLinger(true, 0);
			socket.close();
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			this.sse.publish("watched", SseEvent.ofData("anyone there?"));
			return this.engine.registry().subscribers("watched").isEmpty();
		});
		List<String> told = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			told.add(this.callbacks.poll(10, TimeUnit.SECONDS));
		}
		assertThat(told).containsOnly("watched error", "watched completed");
		assertThat(told).filteredOn("watched completed"::equals).hasSize(3);
		Thread.sleep(500); // an error dispatch, if any, is logged right after the close
		assertThat(output.getOut() + output.getErr()).doesNotContain(" WARN ").doesNotContain(" ERROR ");
	}

	@Test
	void thePerUserLimitAppliesToControllerStreams() {
		List<SseTestClient> open = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				SseTestClient stream = as("bob", "/orders/43/events").open();
				open.add(stream);
				stream.awaitEvent("sse.connected");
			}
			long limited = this.engine.counters().closed(CloseReason.LIMIT);
			try (SseTestClient fourth = as("bob", "/orders/43/events").open()) {
				SseTestClient.Response response = fourth.awaitResponse();
				assertThat(response.status()).isEqualTo(429);
				assertThat(response.header("Retry-After")).isEqualTo("30");
				assertThat(response.body()).contains("sse.limits.max-connections-per-user");
			}
			assertThat(this.engine.counters().closed(CloseReason.LIMIT)).isEqualTo(limited + 1);
		}
		finally {
			open.forEach(SseTestClient::close);
		}
	}

	@Test
	void aPlainSseEmitterStillWorksAsInSpringMvc() {
		try (SseTestClient stream = as("alice", "/spring-emitter").open()) {
			assertThat(stream.awaitEvent()).isEqualTo(new SseReceivedEvent("", "spring", "Spring MVC's own emitter", null));
			assertThat(stream.awaitEnd(Duration.ofSeconds(10))).isNull();
		}
	}

}
