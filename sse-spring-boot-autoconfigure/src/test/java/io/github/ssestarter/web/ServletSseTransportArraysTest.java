package io.github.ssestarter.web;

import java.io.IOException;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.apache.catalina.connector.Response;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.web.util.OnCommittedResponseWrapper;
import org.springframework.web.context.request.async.StandardServletAsyncWebRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which output streams let the engine fill a write's array again as soon as the write
 * returns: Tomcat's (it copies what the socket does not take), also behind Spring MVC's
 * asynchronous response guard and Spring Security's wrapper, which pass writes on as they
 * are; no other, since the
 * servlet API lets a non-blocking stream write from the caller's array later. That reuse is
 * checked byte for byte on real sockets by the benchmarks' {@code ContainerDeliveryStressTest}.
 */
class ServletSseTransportArraysTest {

	private final HttpServletResponse tomcat = new Response(new org.apache.coyote.Response()).getResponse();

	@Test
	void tomcatsStreamCopies() throws IOException {
		assertThat(ServletSseTransport.writesCopy(this.tomcat, this.tomcat.getOutputStream())).isTrue();
	}

	@Test
	void tomcatsStreamBehindSpringMvcsAsyncGuardCopies() throws IOException {
		HttpServletResponse guarded = guarded(this.tomcat);
		ServletOutputStream stream = guarded.getOutputStream();
		assertThat(stream.getClass().getName()).contains("Lifecycle");
		assertThat(ServletSseTransport.writesCopy(guarded, stream)).isTrue();
	}

	@Test
	void tomcatsStreamBehindSpringSecuritysWrapperAndTheGuardCopies() throws IOException {
		HttpServletResponse secured = new OnCommittedResponseWrapper(this.tomcat) {

			@Override
			protected void onResponseCommitted() {
			}

		};
		HttpServletResponse guarded = guarded(secured);
		assertThat(ServletSseTransport.writesCopy(guarded, guarded.getOutputStream())).isTrue();
	}

	@Test
	void otherStreamsMayKeepTheArray() throws IOException {
		HttpServletResponse mock = new MockHttpServletResponse();
		assertThat(ServletSseTransport.writesCopy(mock, mock.getOutputStream())).isFalse();
		HttpServletResponse guardedMock = guarded(mock);
		assertThat(ServletSseTransport.writesCopy(guardedMock, guardedMock.getOutputStream())).isFalse();
		HttpServletResponse wrapped = new HttpServletResponseWrapper(this.tomcat) {

			@Override
			public ServletOutputStream getOutputStream() {
				return new KeepingStream();
			}

		};
		assertThat(ServletSseTransport.writesCopy(wrapped, wrapped.getOutputStream()))
			.as("a wrapper's own stream around Tomcat's").isFalse();
		HttpServletResponse guardedWrapper = guarded(wrapped);
		assertThat(ServletSseTransport.writesCopy(guardedWrapper, guardedWrapper.getOutputStream())).isFalse();
	}

	private static HttpServletResponse guarded(HttpServletResponse response) {
		return (HttpServletResponse) new StandardServletAsyncWebRequest(new MockHttpServletRequest(), response)
			.getResponse();
	}

	/** A stream that could write from the caller's array after the write returned. */
	private static final class KeepingStream extends ServletOutputStream {

		@Override
		public void write(int b) {
		}

		@Override
		public boolean isReady() {
			return false;
		}

		@Override
		public void setWriteListener(WriteListener listener) {
		}

	}

}
