package io.github.ssestarter.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a stream's response begins: committed on the request thread, before it goes
 * asynchronous; a client already gone ends it as an ordinary request.
 */
class ServletSseTransportBeginTest {

	private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/sse");

	ServletSseTransportBeginTest() {
		this.request.setAsyncSupported(true);
	}

	@Test
	void theResponseIsCommittedAsAnEventStreamBeforeItGoesAsynchronous() throws IOException {
		MockHttpServletResponse response = new MockHttpServletResponse() {

			@Override
			public void flushBuffer() {
				assertThat(ServletSseTransportBeginTest.this.request.isAsyncStarted()).isFalse();
				super.flushBuffer();
			}

		};
		ServletSseTransport transport = new ServletSseTransport(this.request, response, false);
		assertThat(transport.begin(60_000)).isTrue();
		assertThat(response.isCommitted()).isTrue();
		assertThat(response.getContentType()).isEqualTo("text/event-stream");
		assertThat(this.request.isAsyncStarted()).isTrue();
	}

	@Test
	void aClientGoneBeforeTheCommitLeavesTheRequestSynchronous() throws IOException {
		HttpServletResponse response = new HttpServletResponseWrapper(new MockHttpServletResponse()) {

			@Override
			public void flushBuffer() throws IOException {
				throw new IOException("Connection reset by peer");
			}

		};
		ServletSseTransport transport = new ServletSseTransport(this.request, response, false);
		assertThat(transport.begin(60_000)).isFalse();
		assertThat(this.request.isAsyncStarted()).isFalse();
	}

}
