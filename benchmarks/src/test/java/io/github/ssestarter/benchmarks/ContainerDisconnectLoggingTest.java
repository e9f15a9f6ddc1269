package io.github.ssestarter.benchmarks;

import java.util.Locale;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.ssestarter.benchmarks.servers.Servers;
import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.support.VanishingClients;
import io.github.ssestarter.support.VanishingClients.Departure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that go away produce no log line above DEBUG on either servlet container the
 * starter supports (this module has both on its classpath): many abrupt departures each.
 */
@ExtendWith(OutputCaptureExtension.class)
class ContainerDisconnectLoggingTest {

	@ParameterizedTest(name = "{0}: {1}")
	@CsvSource({ "tomcat, RESET", "tomcat, CLOSE", "tomcat, STALL_THEN_RESET", "tomcat, CLOSE_WHILE_OPENING",
			"jetty, RESET", "jetty, CLOSE", "jetty, STALL_THEN_RESET", "jetty, CLOSE_WHILE_OPENING" })
	void clientsThatGoAwayCloseQuietly(String server, Departure departure, CapturedOutput output) throws Exception {
		try (ConfigurableApplicationContext node = Servers.start(BenchmarkApplication.class, server,
				"sse.heartbeat.interval=200ms", "logging.level.root=INFO")) {
			int before = output.length();
			VanishingClients.openAndLeave(node.getBean(SseEngine.class), Servers.port(node),
					"vanishing-" + departure.name().toLowerCase(Locale.ROOT), 20, departure);
			Thread.sleep(500); // an error dispatch, if any, is logged right after the close
			assertThat(output.toString().substring(before)).doesNotContain(" WARN ").doesNotContain(" ERROR ");
		}
	}

}
