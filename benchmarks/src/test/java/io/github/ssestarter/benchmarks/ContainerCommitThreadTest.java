package io.github.ssestarter.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

import io.github.ssestarter.benchmarks.servers.Servers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A filter that adds headers when the response is committed, or on its way out if it is not
 * yet (as Spring Security's header writer and Spring Session's cookie do), adds them on the
 * request thread only, on both containers: a stream commits its response there, before a
 * writer may write. Headers are not safe to change from two threads, and on Jetty a writer
 * may write as soon as the write listener is set, while the request thread is still on its
 * way out through the filters. Before that commit, the writer's first flush committed the
 * response: on Jetty the filter's headers were added on the writer thread alone, on Tomcat
 * on both threads.
 */
class ContainerCommitThreadTest {

	static final Queue<String> headerThreads = new ConcurrentLinkedQueue<>();

	@ParameterizedTest
	@ValueSource(strings = { "tomcat", "jetty" })
	void headersAddedAtTheCommitAreAddedOnTheRequestThread(String server) throws Exception {
		try (ConfigurableApplicationContext node = Servers.start(CommitHeadersApplication.class, server)) {
			HttpClient client = HttpClient.newHttpClient();
			for (int i = 0; i < 20; i++) {
				headerThreads.clear();
				HttpRequest request = HttpRequest
					.newBuilder(URI.create("http://127.0.0.1:" + Servers.port(node) + "/api/v1/sse?topics=t"))
					.timeout(Duration.ofSeconds(10))
					.build();
				HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
				assertThat(response.statusCode()).isEqualTo(200);
				try (InputStream body = response.body()) {
					assertThat(body.read()).isNotNegative(); // the first bytes of the stream
				}
				assertThat(response.headers().firstValue("X-Committed-On")).isPresent();
				assertThat(headerThreads).isNotEmpty().allMatch((name) -> name.startsWith("request:"), "request thread");
			}
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class CommitHeadersApplication {

		@Bean
		FilterRegistrationBean<CommitHeadersFilter> commitHeaders() {
			return new FilterRegistrationBean<>(new CommitHeadersFilter());
		}

	}

	static final class CommitHeadersFilter extends OncePerRequestFilter {

		@Override
		protected boolean shouldNotFilterAsyncDispatch() {
			return false;
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			Thread requestThread = Thread.currentThread();
			CommitHeaders wrapped = new CommitHeaders(response, requestThread);
			try {
				chain.doFilter(request, wrapped);
			}
			finally {
				wrapped.writeHeaders();
			}
		}

	}

	static final class CommitHeaders extends HttpServletResponseWrapper {

		private final Thread requestThread;

		private volatile boolean written;

		CommitHeaders(HttpServletResponse response, Thread requestThread) {
			super(response);
			this.requestThread = requestThread;
		}

		void writeHeaders() {
			if (this.written) {
				return;
			}
			Thread current = Thread.currentThread();
			headerThreads.add(((current == this.requestThread) ? "request:" : "other:") + current.getName());
			setHeader("X-Committed-On", current.getName());
		}

		private void committing() {
			writeHeaders();
			this.written = true;
		}

		@Override
		public void flushBuffer() throws IOException {
			committing();
			super.flushBuffer();
		}

		@Override
		public ServletOutputStream getOutputStream() throws IOException {
			ServletOutputStream out = super.getOutputStream();
			return new ServletOutputStream() {

				@Override
				public boolean isReady() {
					return out.isReady();
				}

				@Override
				public void setWriteListener(WriteListener listener) {
					out.setWriteListener(listener);
				}

				@Override
				public void write(int b) throws IOException {
					committing();
					out.write(b);
				}

				@Override
				public void write(byte[] bytes, int offset, int length) throws IOException {
					committing();
					out.write(bytes, offset, length);
				}

				@Override
				public void flush() throws IOException {
					committing();
					out.flush();
				}

			};
		}

	}

}
