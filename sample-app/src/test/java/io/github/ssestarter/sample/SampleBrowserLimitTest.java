package io.github.ssestarter.sample;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.WindowType;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user allowed one stream opens a second tab: its stream is refused with 429, which ends
 * a plain EventSource for good; the page's client backs off and retries. When the first tab
 * is closed, the second one gets in (the server probes the closed tab's stream rather than
 * counting it until the next heartbeat).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.clock.enabled=false", "sse.limits.max-connections-per-user=1" })
class SampleBrowserLimitTest {

	@LocalServerPort
	int port;

	@Test
	void aRefusedTabBacksOffAndGetsInOnceTheOtherTabIsClosed() {
		Browser.assumeInstalled();
		try (Browser browser = Browser.start()) {
			browser.logIn(this.port, "bob");
			browser.waitUntil(Duration.ofSeconds(10), (d) -> "open".equals(browser.text("status")));
			String first = browser.driver.getWindowHandle();

			browser.driver.switchTo().newWindow(WindowType.TAB);
			browser.driver.get("http://localhost:" + this.port + "/");
			browser.waitUntil(Duration.ofSeconds(10), (d) -> statuses(browser).contains("reconnecting"));
			assertThat(browser.text("status")).isNotEqualTo("open");
			String second = browser.driver.getWindowHandle();

			browser.driver.switchTo().window(first).close();
			browser.driver.switchTo().window(second);
			browser.waitUntil(Duration.ofSeconds(20), (d) -> "open".equals(browser.text("status")));
			assertThat(statuses(browser)).containsSubsequence("reconnecting", "open");
		}
	}

	@SuppressWarnings("unchecked")
	private static List<String> statuses(Browser browser) {
		return (List<String>) browser.script("return window.sseStatusHistory || [];");
	}

}
