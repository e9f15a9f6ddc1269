package io.github.ssestarter.sample;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium from Debian's packages, driven through the system chromedriver (so
 * Selenium Manager never tries to download anything). Without them the tests are skipped
 * with a message saying how to install them, unless {@code SSE_REQUIRE_BROWSER} is set (as
 * CI does), in which case they fail.
 */
final class Browser implements AutoCloseable {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	final ChromeDriver driver;

	private Browser(ChromeDriver driver) {
		this.driver = driver;
	}

	static void assumeInstalled() {
		if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
			return;
		}
		String message = "Chromium is not installed: apt-get install -y chromium chromium-driver";
		if (System.getenv("SSE_REQUIRE_BROWSER") != null) {
			throw new AssertionError(message);
		}
		Assumptions.abort(message);
	}

	static Browser start() {
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(new File(CHROMEDRIVER.toString()))
			.usingAnyFreePort()
			.build();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--window-size=1280,900", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--no-first-run", "--disable-quic",
				"--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost");
		return new Browser(new ChromeDriver(service, options));
	}

	/** Log in through Spring Security's standard login page. */
	Browser logIn(int port, String user) {
		this.driver.get("http://localhost:" + port + "/login");
		this.driver.findElement(By.name("username")).sendKeys(user);
		this.driver.findElement(By.name("password")).sendKeys(user);
		this.driver.findElement(By.cssSelector("button[type=submit]")).click();
		waitUntil(Duration.ofSeconds(10), (d) -> !d.getCurrentUrl().contains("/login"));
		return this;
	}

	<T> T waitUntil(Duration timeout, java.util.function.Function<WebDriver, T> condition) {
		return new WebDriverWait(this.driver, timeout, Duration.ofMillis(20)).until(condition::apply);
	}

	Object script(String script, Object... args) {
		return ((JavascriptExecutor) this.driver).executeScript(script, args);
	}

	String text(String id) {
		return this.driver.findElement(By.id(id)).getText();
	}

	@Override
	public void close() {
		this.driver.quit();
	}

}
