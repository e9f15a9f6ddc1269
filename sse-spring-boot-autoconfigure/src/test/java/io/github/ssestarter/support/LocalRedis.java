package io.github.ssestarter.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

	/**
	 * The {@code redis-server} the private servers run: the one on the path, or another
	 * version's ({@code -Dsse.test.redis-server=/path/to/redis-server}; CI runs the Redis
	 * tests once more with the oldest version the README supports).
	 */
	private static final String SERVER_BINARY = System.getProperty("sse.test.redis-server", "redis-server");

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

	/**
	 * A {@code redis-server} process of the test's own, on a free port, that a test can stall
	 * ({@link #pause()}), kill ({@link #kill()}), start again (from its RDB file, if
	 * {@link #save()} wrote one), flush, or make a replica of another server. It writes
	 * nothing to disk by itself.
	 */
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

		/** Start (again) on the same port, loading the RDB file if one was saved. */
		public Server start() throws Exception {
			return start(List.of());
		}

		/** Start as a node of a Redis Cluster (see {@link #createCluster}). */
		public Server startClusterNode() throws Exception {
			return start(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"));
		}

		/** Join cluster nodes into one cluster of masters covering every slot. */
		public static void createCluster(List<Server> nodes) throws Exception {
			List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
			for (Server node : nodes) {
				command.add("127.0.0.1:" + node.port());
			}
			command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
			Process create = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(create.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!create.waitFor(30, TimeUnit.SECONDS) || create.exitValue() != 0) {
				throw new IllegalStateException("redis-cli --cluster create failed: " + output);
			}
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
			for (Server node : nodes) {
				while (!node.cli("CLUSTER", "INFO").contains("cluster_state:ok")) {
					if (System.nanoTime() > deadline) {
						throw new IllegalStateException("The cluster did not become ready");
					}
					Thread.sleep(50);
				}
			}
		}

		/** Start as a Sentinel monitoring {@code master} as "mymaster" (quorum 1, down after 1 s). */
		public Server startSentinel(Server master) throws Exception {
			Path config = this.directory.resolve("sentinel.conf");
			Files.writeString(config, "port " + this.port + "\nbind 127.0.0.1\nsentinel monitor mymaster 127.0.0.1 "
					+ master.port() + " 1\nsentinel down-after-milliseconds mymaster 1000\n"
					+ "sentinel failover-timeout mymaster 5000\n");
			this.process = new ProcessBuilder(SERVER_BINARY, config.toString(), "--sentinel").redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("redis.log").toFile()))
				.start();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (!cli("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster").contains(Integer.toString(master.port()))) {
				if (System.nanoTime() > deadline || !this.process.isAlive()) {
					throw new IllegalStateException("redis-sentinel did not start on port " + this.port);
				}
				Thread.sleep(50);
			}
			return this;
		}

		/** Start as a replica of another server (which must be running). */
		public Server startReplicaOf(Server primary) throws Exception {
			start(List.of("--replicaof", "127.0.0.1", Integer.toString(primary.port())));
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (!info("replication").contains("master_link_status:up")) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("The replica on port " + this.port + " did not connect");
				}
				Thread.sleep(20);
			}
			return this;
		}

		private Server start(List<String> extra) throws Exception {
			List<String> command = new ArrayList<>(List.of(SERVER_BINARY, "--port", Integer.toString(this.port),
					"--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.directory.toString()));
			command.addAll(extra);
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("redis.log").toFile()))
				.start();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (!isListening(this.port) || cli("PING").contains("LOADING")) {
				if (System.nanoTime() > deadline || !this.process.isAlive()) {
					throw new IllegalStateException("redis-server did not start on port " + this.port);
				}
				Thread.sleep(20);
			}
			return this;
		}

		/** Stop gracefully (SIGTERM; without persistence configured, it saves nothing). */
		public void stop() throws InterruptedException {
			if (this.process != null) {
				this.process.destroy();
				this.process.waitFor(10, TimeUnit.SECONDS);
				this.process = null;
			}
		}

		/** Kill without warning (SIGKILL): whatever was not saved is lost. */
		public void kill() throws InterruptedException {
			if (this.process != null) {
				this.process.destroyForcibly();
				this.process.waitFor(10, TimeUnit.SECONDS);
				this.process = null;
			}
		}

		/** Stall the process (SIGSTOP): connections stay open, nothing answers. */
		public void pause() throws Exception {
			signal("-STOP");
		}

		/** Let a stalled process go on (SIGCONT). */
		public void resume() throws Exception {
			signal("-CONT");
		}

		private void signal(String signal) throws Exception {
			Process kill = new ProcessBuilder("kill", signal, Long.toString(this.process.pid())).inheritIO().start();
			if (kill.waitFor() != 0) {
				throw new IllegalStateException("kill " + signal + " failed");
			}
		}

		/** Write an RDB snapshot now ({@code SAVE}); a later {@link #start()} loads it. */
		public void save() throws Exception {
			requireOk(cli("SAVE"));
		}

		/** {@code FLUSHALL}: every key gone, the process and its connections untouched. */
		public void flushAll() throws Exception {
			requireOk(cli("FLUSHALL"));
		}

		/** Promote a replica ({@code REPLICAOF NO ONE}). */
		public void promote() throws Exception {
			requireOk(cli("REPLICAOF", "NO", "ONE"));
		}

		public String info(String section) throws Exception {
			return cli("INFO", section);
		}

		/** Run one command with {@code redis-cli}; returns its output. */
		public String cli(String... arguments) throws Exception {
			List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(this.port)));
			command.addAll(List.of(arguments));
			Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			if (!cli.waitFor(10, TimeUnit.SECONDS)) {
				cli.destroyForcibly();
				throw new IllegalStateException("redis-cli " + arguments[0] + " did not return");
			}
			return output;
		}

		private static void requireOk(String output) {
			if (!output.equals("OK")) {
				throw new IllegalStateException("Redis answered: " + output);
			}
		}

		@Override
		public void close() throws Exception {
			if (this.process != null) {
				resume(); // a paused process ignores SIGTERM until it runs again
			}
			kill();
		}

	}

	/**
	 * Skip (or, in CI, fail) unless this machine can start {@code redis-server} processes
	 * (the fault tests start, stall and kill their own).
	 */
	public static void requireServers() {
		if (canStartServers()) {
			return;
		}
		String message = "redis-server cannot be started here; install it (Debian: apt-get install redis-server)";
		if (System.getenv("SSE_REQUIRE_REDIS") != null) {
			throw new AssertionError(message);
		}
		Assumptions.abort(message);
	}

	/** Whether a {@code redis-server} binary can be started. */
	public static boolean canStartServers() {
		try {
			Process process = new ProcessBuilder(SERVER_BINARY, "--version").redirectErrorStream(true).start();
			return process.waitFor(5, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException | InterruptedException ex) {
			return false;
		}
	}

}
