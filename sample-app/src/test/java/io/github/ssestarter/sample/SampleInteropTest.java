package io.github.ssestarter.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One set of tricky events — unicode, multi-line data with CR, LF and CRLF, leading spaces,
 * empty data, a 1 MB payload, a retry field — parsed by two clients nobody here wrote: the
 * browser's EventSource (Chromium) and OkHttp's. Each must see exactly what was published:
 * the same names, ids and data, character for character (line breaks arrive as LF, as the
 * SSE format defines).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.clock.enabled=false", "sse.security.allowed-topics=notifications,interop",
				"sse.max-event-size=3MB", "sse.buffer.max-bytes=8MB" })
class SampleInteropTest {

	@LocalServerPort
	int port;

	@Autowired
	SseService sse;

	/** What a client sees of one event. */
	record Received(String type, String data, String id) {
	}

	@Test
	void theBrowserAndOkHttpParseEveryEventExactlyAsPublished() throws Exception {
		Browser.assumeInstalled();
		BlockingQueue<Received> okhttp = new LinkedBlockingQueue<>();
		OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ZERO).build();
		EventSource okSource = EventSources.createFactory(http)
			.newEventSource(new Request.Builder().url("http://localhost:" + this.port + "/api/v1/sse?topics=interop")
				.header("Authorization", SampleHttp.basic("alice").get("Authorization"))
				.build(), new EventSourceListener() {
					@Override
					public void onEvent(EventSource source, String id, String type, String data) {
						okhttp.add(new Received((type != null) ? type : "message", data, (id != null) ? id : ""));
					}
				});
		try (Browser browser = Browser.start()) {
			browser.logIn(this.port, "alice");
			browser.driver.get("http://localhost:" + this.port + "/interop.html");
			browser.waitUntil(Duration.ofSeconds(10), (d) -> "open".equals(browser.text("state")));
			assertThat(okhttp.poll(10, TimeUnit.SECONDS).type()).isEqualTo("sse.connected");

			String megabyte = "0123456789abcdef".repeat(64 * 1024);
			List<Received> expected = new ArrayList<>();
			publish(expected, SseEvent.of("interop", "plain text"), "plain text");
			publish(expected, SseEvent.of("unicode", "héllo ✓ 日本語 😀 ünïcödé"), "héllo ✓ 日本語 😀 ünïcödé");
			publish(expected, SseEvent.of("lines", "lf\nin\nthe middle"), "lf\nin\nthe middle");
			publish(expected, SseEvent.of("lines", "cr\rand\r\ncrlf"), "cr\nand\ncrlf");
			publish(expected, SseEvent.of("lines", "\n\nbreaks at both ends\r\n"), "\n\nbreaks at both ends\n");
			publish(expected, SseEvent.of("interop", "  two leading spaces\n one more"), "  two leading spaces\n one more");
			publish(expected, SseEvent.of("interop", ""), "");
			publish(expected, SseEvent.ofData("an unnamed event"), "an unnamed event");
			publish(expected, SseEvent.of("interop", Map.of("json", "with \"quotes\" and \\ backslash")),
					"{\"json\":\"with \\\"quotes\\\" and \\\\ backslash\"}");
			publish(expected, SseEvent.builder().name("with-retry").retry(Duration.ofSeconds(5)).data("after a retry field")
				.build(), "after a retry field");
			publish(expected, SseEvent.of("big", megabyte), megabyte);
			publish(expected, SseEvent.of("end", "done"), "done");

			browser.waitUntil(Duration.ofSeconds(20),
					(d) -> ((Number) browser.script("return window.received.length;")).intValue() >= expected.size());
			@SuppressWarnings("unchecked")
			List<Map<String, String>> seenByBrowser = (List<Map<String, String>>) browser.script("return window.received;");
			List<Received> browserEvents = seenByBrowser.stream()
				.map((e) -> new Received(e.get("type"), e.get("data"), e.get("id")))
				.toList();
			List<Received> okhttpEvents = new ArrayList<>();
			for (int i = 0; i < expected.size(); i++) {
				okhttpEvents.add(okhttp.poll(10, TimeUnit.SECONDS));
			}
			for (int i = 0; i < expected.size(); i++) {
				assertThat(browserEvents.get(i)).as("Chromium, event %d", i).isEqualTo(expected.get(i));
				assertThat(okhttpEvents.get(i)).as("OkHttp, event %d", i).isEqualTo(expected.get(i));
			}
			assertThat(browserEvents).hasSize(expected.size());
		}
		finally {
			okSource.cancel();
		}
	}

	private void publish(List<Received> expected, SseEvent event, String expectedData) {
		String id = this.sse.publish("interop", event);
		expected.add(new Received((event.name() != null) ? event.name() : "message", expectedData, id));
	}

}
