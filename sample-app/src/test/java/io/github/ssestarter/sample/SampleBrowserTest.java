package io.github.ssestarter.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo page in headless Chromium, as a new user uses it: log in through the form, see a
 * notification arrive in the bell and the log within a second, follow a background job, get
 * a webhook's notification, and reload without missing what was published meanwhile.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.clock.enabled=false", "sample.jobs.step=100ms" })
class SampleBrowserTest {

	private static Browser browser;

	@LocalServerPort
	int port;

	@Autowired
	SseService sse;

	@BeforeAll
	static void startBrowser() {
		Browser.assumeInstalled();
		browser = Browser.start();
	}

	@AfterAll
	static void stopBrowser() {
		if (browser != null) {
			browser.close();
		}
	}

	private void openDemoPageAs(String user) {
		browser.driver.manage().deleteAllCookies();
		browser.logIn(this.port, user);
		browser.waitUntil(Duration.ofSeconds(10), (d) -> "open".equals(browser.text("status")));
		browser.waitUntil(Duration.ofSeconds(5), (d) -> user.equals(browser.text("user")));
	}

	@SuppressWarnings("unchecked")
	private List<String> loggedData() {
		return (List<String>) browser.script("return [...document.querySelectorAll('#log li .data')]"
				+ ".map((e) => e.textContent).reverse();");
	}

	@Test
	void aNotificationReachesTheBellAndTheLogWithinASecond() throws Exception {
		openDemoPageAs("alice");
		assertThat(browser.text("bell-count")).isEmpty(); // hidden while there is nothing unread
		this.sse.sendToUser("alice", SseEvent.of("notification.created", Map.of("message", "Hello from the test")));
		browser.waitUntil(Duration.ofSeconds(1), (d) -> browser.text("notifications").contains("Hello from the test"));
		assertThat(browser.driver.findElement(By.id("bell-count")).getAttribute("data-count")).isEqualTo("1");
		assertThat(loggedData()).contains("{\"message\":\"Hello from the test\"}");
		Path screenshot = Path.of("target/screenshots/demo-page.png");
		Files.createDirectories(screenshot.getParent());
		Files.write(screenshot, browser.driver.getScreenshotAs(OutputType.BYTES));
		browser.driver.findElement(By.id("bell")).click();
		assertThat(browser.driver.findElement(By.id("bell-count")).getAttribute("data-count")).isEqualTo("0");
	}

	@Test
	void aBackgroundJobReportsItsProgressToItsUser() {
		openDemoPageAs("bob");
		browser.driver.findElement(By.id("start-job")).click();
		browser.waitUntil(Duration.ofSeconds(10), (d) -> browser.text("job-message").contains("(done)"));
		assertThat(browser.driver.findElement(By.id("job-progress")).getAttribute("value")).isEqualTo("100");
		assertThat(loggedData()).filteredOn((data) -> data.contains("\"jobId\""))
			.extracting((data) -> data.replaceAll(".*\"percent\":(\\d+).*", "$1"))
			.containsExactly("0", "25", "50", "75", "100");
		browser.driver.findElement(By.id("start-failing-job")).click();
		browser.waitUntil(Duration.ofSeconds(10), (d) -> browser.text("job-message").contains("(failed)"));
	}

	@Test
	void aWebhookCallBecomesANotification() throws Exception {
		openDemoPageAs("alice");
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/api/webhooks/notifications"))
				.header("Content-Type", "application/json")
				.header("X-Webhook-Secret", "demo-webhook-secret")
				.POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"alice\",\"message\":\"Your order shipped\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(202);
		browser.waitUntil(Duration.ofSeconds(2), (d) -> browser.text("notifications").contains("Your order shipped"));
	}

	@Test
	void theAdminPagePublishesAndShowsLiveStats() {
		browser.driver.manage().deleteAllCookies();
		browser.logIn(this.port, "admin");
		browser.driver.get("http://localhost:" + this.port + "/admin.html");
		browser.waitUntil(Duration.ofSeconds(5), (d) -> browser.text("stat-connections").matches("\\d+"));
		browser.driver.findElement(By.id("message")).clear();
		browser.driver.findElement(By.id("message")).sendKeys("Sent from the admin page");
		browser.driver.findElement(By.cssSelector("#publish button")).click();
		browser.waitUntil(Duration.ofSeconds(5), (d) -> browser.text("result").startsWith("Published as #"));
		browser.waitUntil(Duration.ofSeconds(5), (d) -> Integer.parseInt(browser.text("stat-published")) >= 1);
	}

	@Test
	void aReloadedPageGetsWhatWasPublishedWhileItReloaded() {
		openDemoPageAs("alice");
		this.sse.sendToUser("alice", SseEvent.ofData("before the reload"));
		browser.waitUntil(Duration.ofSeconds(2), (d) -> loggedData().contains("before the reload"));
		browser.script("window.stop(); document.body.innerHTML = 'reloading';"); // the stream is gone
		this.sse.sendToUser("alice", SseEvent.ofData("while reloading 1"));
		this.sse.sendToUser("alice", SseEvent.ofData("while reloading 2"));
		browser.driver.navigate().refresh();
		browser.waitUntil(Duration.ofSeconds(10), (d) -> loggedData().contains("while reloading 2"));
		assertThat(loggedData()).containsSubsequence("while reloading 1", "while reloading 2")
			.doesNotContain("before the reload");
	}

}
