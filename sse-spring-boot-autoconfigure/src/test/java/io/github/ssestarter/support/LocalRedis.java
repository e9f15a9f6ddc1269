package io.github.ssestarter.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Real Redis for tests: the machine's server on 127.0.0.1:6379, or a private
 * {@code redis-server} process that a test may stop and start again. Without Redis the
 * tests are skipped with a message saying how to start it, unless {@code SSE_REQUIRE_REDIS}
 * is set (as CI does), in which case they fail.
 */
public final class LocalRedis {

	public static final int PORT = 6379;

	private LocalRedis() {
	}

	/** Skip (or, in CI, fail) unless Redis answers on 127.0.0.1:6379. */
	public static void assumeRunning() {
		if (isListening(PORT)) {
			return;
		}
		String message = "Redis is not running on 127.0.0.1:" + PORT + ". Start it with: redis-server --daemonize yes "
				+ "--port " + PORT + " --save \"\" --appendonly no";
		if (System.getenv("SSE_REQUIRE_REDIS") != null) {
			throw new AssertionError(message);
		}
		Assumptions.abort(message);
	}

	public static boolean isListening(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	public static LettuceConnectionFactory connectionFactory(int port) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port),
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(2)).build());
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	/** A {@code redis-server} process of the test's own, on a free port, that keeps nothing on disk. */
	public static final class Server implements AutoCloseable {

		private final int port;

		private final Path directory;

		private Process process;

		public Server() throws IOException {
			try (ServerSocket socket = new ServerSocket(0)) {
				this.port = socket.getLocalPort();
			}
			this.directory = Files.createTempDirectory("sse-redis");
		}

		public int port() {
			return this.port;
		}

		public Server start() throws Exception {
			this.process = new ProcessBuilder("redis-server", "--port", Integer.toString(this.port), "--bind",
					"127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.directory.toString())
				.redirectErrorStream(true)
				.redirectOutput(this.directory.resolve("redis.log").toFile())
				.start();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (!isListening(this.port)) {
				if (System.nanoTime() > deadline || !this.process.isAlive()) {
					throw new IllegalStateException("redis-server did not start on port " + this.port);
				}
				Thread.sleep(20);
			}
			return this;
		}

		public void stop() throws InterruptedException {
			if (this.process != null) {
				this.process.destroy();
				this.process.waitFor(10, TimeUnit.SECONDS);
				this.process = null;
			}
		}

		@Override
		public void close() throws InterruptedException {
			stop();
		}

	}

	/** Whether a {@code redis-server} binary can be started. */
	public static boolean canStartServers() {
		try {
			Process process = new ProcessBuilder("redis-server", "--version").redirectErrorStream(true).start();
			return process.waitFor(5, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException | InterruptedException ex) {
			return false;
		}
	}

}
