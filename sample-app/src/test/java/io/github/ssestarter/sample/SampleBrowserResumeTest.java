package io.github.ssestarter.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseService;
import io.github.ssestarter.engine.CloseReason;
import io.github.ssestarter.engine.SseEngine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server ends the page's stream several times (maximum lifetime of 1.5 s) while events
 * keep coming; the browser reconnects with Last-Event-ID and the page shows every event
 * exactly once, in order, while its status indicator goes to reconnecting and back to open.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.clock.enabled=false", "sse.connection.max-lifetime=1500ms",
				"sse.connection.lifetime-jitter=0", "sse.connection.retry=200ms" })
class SampleBrowserResumeTest {

	@LocalServerPort
	int port;

	@Autowired
	SseService sse;

	@Autowired
	SseEngine engine;

	@Test
	void streamEndsByTheServerLoseAndRepeatNothing() throws Exception {
		Browser.assumeInstalled();
		try (Browser browser = Browser.start()) {
			browser.logIn(this.port, "alice");
			browser.waitUntil(Duration.ofSeconds(10), (d) -> "open".equals(browser.text("status")));
			long endsBefore = this.engine.counters().closed(CloseReason.TIMEOUT);
			int count = 120;
			for (int i = 0; i < count; i++) { // about 4 s: the stream ends at least twice meanwhile
				this.sse.sendToUser("alice", SseEvent.ofData("n" + i));
				Thread.sleep(33);
			}
			List<String> expected = IntStream.range(0, count).mapToObj((i) -> "n" + i).toList();
			browser.waitUntil(Duration.ofSeconds(10), (d) -> numbered(browser).size() >= count);
			assertThat(numbered(browser)).containsExactlyElementsOf(expected);
			assertThat(this.engine.counters().closed(CloseReason.TIMEOUT) - endsBefore).isGreaterThanOrEqualTo(2);
			@SuppressWarnings("unchecked")
			List<String> statuses = (List<String>) browser.script("return window.sseStatusHistory;");
			assertThat(statuses).containsSubsequence("connecting", "open", "reconnecting", "open");
			assertThat(statuses.get(statuses.size() - 1)).isEqualTo("open");
		}
	}

	@SuppressWarnings("unchecked")
	private static List<String> numbered(Browser browser) {
		List<String> data = (List<String>) browser.script(
				"return [...document.querySelectorAll('#log li .data')].map((e) => e.textContent).reverse();");
		List<String> numbered = new ArrayList<>();
		for (String item : data) {
			if (item.matches("n\\d+")) {
				numbered.add(item);
			}
		}
		return numbered;
	}

}
