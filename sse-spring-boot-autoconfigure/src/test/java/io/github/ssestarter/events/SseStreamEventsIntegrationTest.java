package io.github.ssestarter.events;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;

import io.github.ssestarter.engine.CloseReason;
import io.github.ssestarter.test.SseTestClient;
import io.github.ssestarter.testapp.plain.SseTestApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application's {@code @EventListener}s hear of streams opening and closing, with the
 * stream's client id, topics, node and close reason.
 */
@SpringBootTest(classes = SseTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.node-name=node-a", "sse.heartbeat.interval=1s" })
@Import(SseStreamEventsIntegrationTest.Listener.class)
class SseStreamEventsIntegrationTest {

	@LocalServerPort
	int port;

	@Autowired
	Listener listener;

	@Test
	void listenersHearOfStreamsOpeningAndClosing() {
		String clientId;
		try (SseTestClient client = SseTestClient.connect("http://localhost:" + this.port + "/api/v1/sse?topics=news")) {
			String connected = client.awaitEvent("sse.connected").data();
			await().atMost(Duration.ofSeconds(5)).until(() -> !this.listener.opened.isEmpty());
			SseStreamOpenedEvent opened = this.listener.opened.get(0);
			clientId = opened.clientId();
			assertThat(connected).contains(clientId);
			assertThat(opened.topics()).contains("news", "client:" + clientId);
			assertThat(opened.userId()).isNull();
			assertThat(opened.node()).isEqualTo("node-a");
			assertThat(this.listener.closed).isEmpty();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.listener.closed.isEmpty());
		SseStreamClosedEvent closed = this.listener.closed.get(0);
		assertThat(closed.clientId()).isEqualTo(clientId);
		assertThat(closed.reason()).isEqualTo(CloseReason.CLIENT);
		assertThat(closed.node()).isEqualTo("node-a");
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Listener {

		final List<SseStreamOpenedEvent> opened = new CopyOnWriteArrayList<>();

		final List<SseStreamClosedEvent> closed = new CopyOnWriteArrayList<>();

		@EventListener
		void on(SseStreamOpenedEvent event) {
			this.opened.add(event);
		}

		@EventListener
		void on(SseStreamClosedEvent event) {
			this.closed.add(event);
		}

	}

}
