package io.github.ssestarter.web;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseService;
import io.github.ssestarter.test.SseEventStreams;
import io.github.ssestarter.test.SseReceivedEvent;
import io.github.ssestarter.testapp.streams.StreamsTestApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Streams under MockMvc, which has no non-blocking output: the stream writes to the mock
 * response blocking, and the test reads what was written so far.
 */
@SpringBootTest(classes = StreamsTestApplication.class, properties = "spring.mvc.problemdetails.enabled=true")
@AutoConfigureMockMvc
@Import(SseMockMvcTest.RecordingHeaderWriters.class)
class SseMockMvcTest {

	/** The threads on which Spring Security wrote its response headers. */
	static final Queue<Thread> headerWriterThreads = new ConcurrentLinkedQueue<>();

	@Autowired
	MockMvc mvc;

	@Autowired
	SseService sse;

	/** No client goes away under MockMvc: end the streams, or they count against the user's limit. */
	@AfterEach
	void closeStreams() {
		this.sse.disconnectUser("alice");
	}

	@RepeatedTest(6) // one more than alice's stream limit
	void eachTestEndsTheStreamsItOpened() throws Exception {
		openAlicesOrderStream();
	}

	@Test
	void theBuiltInEndpointStreamsTheEventsPublishedWhileTheTestRuns() throws Exception {
		MvcResult result = this.mvc
			.perform(get("/api/v1/sse").with(httpBasic("alice", "alice")).accept(MediaType.TEXT_EVENT_STREAM))
			.andExpect(request().asyncStarted())
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM))
			.andReturn();
		awaitEvent(result, "sse.connected");
		String id = this.sse.sendToUser("alice", SseEvent.of("note", "hello"));
		assertThat(awaitEvent(result, "note")).isEqualTo(new SseReceivedEvent(id, "note", "hello", null));
		assertThat(result.getResponse().getContentAsString()).startsWith(":");
	}

	/**
	 * Spring Security writes its headers when the response is committed, or on the way out
	 * of its filter if it is not: the stream commits it on the request thread, so a writer
	 * thread never adds headers while the request thread does (the mock response's header
	 * map then failed with a ConcurrentModificationException, or the stream closed).
	 */
	@Test
	void theResponseIsCommittedOnTheRequestThreadNotByAWriter() throws Exception {
		headerWriterThreads.clear();
		MvcResult result = openAlicesOrderStream(); // its first event written by a writer thread
		assertThat(headerWriterThreads).containsExactly(Thread.currentThread());
		assertThat(result.getResponse().getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
	}

	@Test
	void aControllerStreamWorksTooAndItsRefusalsAreProblemDetails() throws Exception {
		MvcResult result = openAlicesOrderStream();
		String id = this.sse.publish("order:42", SseEvent.of("order.shipped", "on its way"));
		assertThat(awaitEvent(result, "order.shipped").id()).isEqualTo(id);
		this.mvc.perform(get("/peek/bob").with(httpBasic("alice", "alice")).accept(MediaType.TEXT_EVENT_STREAM))
			.andExpect(status().isForbidden())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
	}

	/** Spring Boot's default chain, with one more header writer that records its thread. */
	@TestConfiguration
	static class RecordingHeaderWriters {

		@Bean
		SecurityFilterChain recordingChain(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.httpBasic(Customizer.withDefaults())
				.headers((headers) -> headers
					.addHeaderWriter((request, response) -> headerWriterThreads.add(Thread.currentThread())))
				.build();
		}

	}

	/** Open a stream from the application's controller and wait for its first event. */
	private MvcResult openAlicesOrderStream() throws Exception {
		MvcResult result = this.mvc
			.perform(get("/orders/42/events").with(httpBasic("alice", "alice")).accept(MediaType.TEXT_EVENT_STREAM))
			.andExpect(request().asyncStarted())
			.andReturn();
		awaitEvent(result, "sse.connected");
		return result;
	}

	private static SseReceivedEvent awaitEvent(MvcResult result, String name) {
		try {
			return await().atMost(Duration.ofSeconds(10))
				.until(() -> SseEventStreams.parse(contentOf(result))
					.stream()
					.filter((event) -> event.isNamed(name))
					.findFirst()
					.orElse(null), (event) -> event != null);
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError("No event named " + name + " within 10 s; the response so far: "
					+ contentOf(result), ex);
		}
	}

	private static String contentOf(MvcResult result) {
		try {
			return result.getResponse().getContentAsString();
		}
		catch (java.io.UnsupportedEncodingException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
