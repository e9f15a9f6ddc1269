package io.github.ssestarter.web;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.support.VanishingClients;
import io.github.ssestarter.support.VanishingClients.Departure;
import io.github.ssestarter.testapp.plain.SseTestApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that go away are normal, however they go (see {@link Departure}): the stream
 * closes and nothing is logged above DEBUG — in particular no error dispatch that Spring
 * MVC then fails to render as {@code text/event-stream}. On Tomcat; the benchmarks module
 * checks Jetty too.
 */
@SpringBootTest(classes = SseTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "sse.heartbeat.interval=200ms", "spring.main.banner-mode=off" })
@ExtendWith(OutputCaptureExtension.class)
class SseClientDisconnectLoggingIntegrationTest {

	@LocalServerPort
	int port;

	@Autowired
	SseEngine engine;

	@ParameterizedTest
	@EnumSource(Departure.class)
	void clientsThatGoAwayCloseQuietly(Departure departure, CapturedOutput output) throws Exception {
		VanishingClients.openAndLeave(this.engine, this.port, "vanishing-" + departure.name().toLowerCase(), 12,
				departure);
		Thread.sleep(500); // an error dispatch, if any, is logged right after the close
		assertThat(output.getOut() + output.getErr()).doesNotContain(" WARN ").doesNotContain(" ERROR ");
	}

}
