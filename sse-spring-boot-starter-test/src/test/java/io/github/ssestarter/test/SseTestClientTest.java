package io.github.ssestarter.test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The client over real HTTP, against a server that writes the stream byte for byte. */
class SseTestClientTest {

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private final CountDownLatch release = new CountDownLatch(1);

	private HttpServer server;

	@BeforeEach
	void start() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.setExecutor(this.executor);
		this.server.createContext("/stream", (exchange) -> {
			assertThat(exchange.getRequestHeaders().getFirst("Accept")).isEqualTo("text/event-stream");
			String resume = exchange.getRequestHeaders().getFirst("Last-Event-ID");
			String auth = exchange.getRequestHeaders().getFirst("Authorization");
			write(exchange, 200, "text/event-stream", "\uFEFF: hello\r\nretry: 2000\r\n\r\nid: 1\revent: first\rdata: "
					+ resume + "\r\rdata: " + auth + "\n\n", false);
			try {
				this.release.await(10, TimeUnit.SECONDS);
				exchange.getResponseBody().write("data: after the pause\n\n".getBytes(StandardCharsets.UTF_8));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			exchange.close();
		});
		this.server.createContext("/shouting", (exchange) -> write(exchange, 200, "Text/Event-Stream",
				"data: loud\n\n", true));
		this.server.createContext("/refused", (exchange) -> write(exchange, 403, "application/problem+json",
				"{\"title\":\"Forbidden\"}", true));
		this.server.start();
	}

	private static void write(HttpExchange exchange, int status, String type, String body, boolean close)
			throws IOException {
		exchange.getResponseHeaders().set("Content-Type", type);
		exchange.sendResponseHeaders(status, 0);
		OutputStream out = exchange.getResponseBody();
		out.write(body.getBytes(StandardCharsets.UTF_8));
		out.flush();
		if (close) {
			exchange.close();
		}
	}

	@AfterEach
	void stop() {
		this.release.countDown();
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	private String url(String path) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
	}

	@Test
	void parsesEveryLineEndingAndSendsTheCredentialsAndTheLastEventId() {
		try (SseTestClient stream = SseTestClient.request(url("/stream"))
			.basicAuth("alice", "secret")
			.lastEventId("41")
			.open()) {
			assertThat(stream.awaitResponse().status()).isEqualTo(200);
			SseReceivedEvent first = stream.awaitEvent("first");
			assertThat(first).isEqualTo(new SseReceivedEvent("1", "first", "41", null));
			assertThat(stream.awaitEvent().data()).isEqualTo("Basic YWxpY2U6c2VjcmV0");
			assertThat(stream.poll(Duration.ofMillis(200))).isNull(); // the server holds the next event back
			this.release.countDown();
			assertThat(stream.awaitEvent()).isEqualTo(new SseReceivedEvent("1", "message", "after the pause", null));
			assertThat(stream.awaitEnd(Duration.ofSeconds(10))).isNull();
			assertThat(stream.comments()).containsExactly("hello");
			assertThat(stream.reconnectionTime()).isEqualTo(Duration.ofSeconds(2));
			assertThat(stream.received()).hasSize(3);
		}
	}

	@Test
	void aRefusalHandsBackItsStatusAndBody() {
		try (SseTestClient stream = SseTestClient.connect(url("/refused"))) {
			SseTestClient.Response response = stream.awaitResponse();
			assertThat(response.status()).isEqualTo(403);
			assertThat(response.header("content-type")).isEqualTo("application/problem+json");
			assertThat(response.body()).isEqualTo("{\"title\":\"Forbidden\"}");
			assertThat(stream.awaitEnd(Duration.ofSeconds(5))).isNull();
		}
	}

	@Test
	void theContentTypeIsReadWhateverItsCase() {
		try (SseTestClient stream = SseTestClient.connect(url("/shouting"))) {
			assertThat(stream.awaitEvent().data()).isEqualTo("loud");
		}
	}

	@Test
	void waitingForAnEventOfARefusedStreamSaysWhatTheServerAnswered() {
		try (SseTestClient stream = SseTestClient.connect(url("/refused"))) {
			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> stream.awaitEvent((event) -> true, "an event", Duration.ofMillis(300)))
				.withMessageContaining("the server answered 403 (not an event stream): {\"title\":\"Forbidden\"}");
		}
	}

	@Test
	void aWaitThatTimesOutSaysWhatArrived() {
		try (SseTestClient stream = SseTestClient.connect(url("/stream"))) {
			stream.awaitEvent("first");
			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> stream.awaitEvent((event) -> false, "a miracle", Duration.ofMillis(300)))
				.withMessageContaining("Expected a miracle within PT0.3S; received [SseReceivedEvent[id=1, name=first");
		}
	}

}
