package io.github.ssestarter.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * An SSE client on a raw socket that reads as slowly as a test wants: a small receive
 * window (so the server feels it soon), a pause after each read, and pauses on demand.
 * It decodes HTTP/1.1 chunked responses and parses SSE itself. When the server ends the
 * stream it reconnects, like a browser, with {@code Last-Event-ID} set to the last id it
 * received, and keeps every stream's events in one list.
 */
public final class SlowSseClient implements AutoCloseable {

	/**
	 * The socket's receive buffer. Not smaller: with a buffer of a few KB, Linux can leave a
	 * connection whose window once went to zero in zero-window probing, moving one small
	 * segment every ~200 ms (~1.5 KB/s) while the client is blocked reading an empty socket
	 * and the server holds a megabyte for it (seen with {@code ss}: the server's send queue
	 * full, a {@code persist} timer, the client's {@code rcv_ssthresh} ~1 KB). That is TCP,
	 * not the server, and no real client sets such a buffer.
	 */
	private static final int RECEIVE_BUFFER = 64 * 1024;

	private final int port;

	private final String pathAndQuery;

	private final int readSize;

	private final long pauseNanos;

	private final List<DeliveryCheck.Received> received = new CopyOnWriteArrayList<>();

	private final Thread thread;

	private volatile boolean paused;

	/** What went wrong with streams: exceptions, ends, with the last raw bytes read. */
	public final List<String> problems = new CopyOnWriteArrayList<>();

	private final byte[] raw = new byte[4096];

	private long rawCount;

	/** The last bytes read from the socket, and how many in all. */
	public synchronized String rawTail() {
		int n = (int) Math.min(this.rawCount, this.raw.length);
		byte[] tail = new byte[n];
		for (int i = 0; i < n; i++) {
			tail[i] = this.raw[(int) ((this.rawCount - n + i) % this.raw.length)];
		}
		return "[" + this.rawCount + " bytes in all] "
				+ new String(tail, StandardCharsets.ISO_8859_1).replace("\n", "\\n").replace("\r", "\\r");
	}

	private synchronized void recordRaw(byte[] bytes, int count) {
		for (int i = 0; i < count; i++) {
			this.raw[(int) (this.rawCount++ % this.raw.length)] = bytes[i];
		}
	}

	private volatile boolean closed;

	private volatile int streams;

	private volatile @Nullable Socket socket;

	private @Nullable String lastEventId;

	/**
	 * @param port the server's port
	 * @param pathAndQuery the stream's path and query
	 * @param readSize the most bytes taken from the socket at once
	 * @param pause how long to wait after each read
	 */
	public SlowSseClient(int port, String pathAndQuery, int readSize, Duration pause) {
		this.port = port;
		this.pathAndQuery = pathAndQuery;
		this.readSize = readSize;
		this.pauseNanos = pause.toNanos();
		this.thread = new Thread(this::run, "slow-sse-client");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/** Stop reading (the socket's window fills and the server's writes back up) until {@link #resume()}. */
	public void pause() {
		this.paused = true;
	}

	public void resume() {
		this.paused = false;
	}

	/** Events received so far, over every stream, in order. */
	public List<DeliveryCheck.Received> received() {
		return List.copyOf(this.received);
	}

	/** How many streams the client has opened (more than one after the server ended a stream). */
	public int streams() {
		return this.streams;
	}

	/** Wait until an event matching the condition has been received. */
	public void awaitEvent(Predicate<DeliveryCheck.Received> condition, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.received.stream().noneMatch(condition)) {
			if (System.nanoTime() - deadline > 0) {
				throw new AssertionError("Not received within " + timeout + "; last events: "
						+ this.received.subList(Math.max(0, this.received.size() - 3), this.received.size()));
			}
			TimeUnit.MILLISECONDS.sleep(20);
		}
	}

	private void run() {
		while (!this.closed) {
			try (Socket connection = new Socket()) {
				this.socket = connection;
				connection.setReceiveBufferSize(Math.max(RECEIVE_BUFFER, this.readSize));
				connection.connect(new InetSocketAddress("localhost", this.port));
				request(connection.getOutputStream());
				this.streams++;
				read(connection.getInputStream());
			}
			catch (IOException ex) {
				if (this.closed) {
					return;
				}
				this.problems.add("stream " + this.streams + " failed after " + this.received.size() + " events: " + ex
						+ "; raw tail: " + rawTail());
			}
			if (!this.closed) {
				this.problems.add("stream " + this.streams + " ended after " + this.received.size() + " events; raw tail: "
						+ rawTail());
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // like a browser's retry delay, shortened
		}
	}

	private void request(OutputStream out) throws IOException {
		StringBuilder request = new StringBuilder("GET ").append(this.pathAndQuery)
			.append(" HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n");
		if (this.lastEventId != null) {
			request.append("Last-Event-ID: ").append(this.lastEventId).append("\r\n");
		}
		out.write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
		out.flush();
	}

	private void read(InputStream socketIn) throws IOException {
		InputStream in = new Throttled(socketIn);
		String status = line(in);
		if (status == null || !status.startsWith("HTTP/1.1 200")) {
			throw new IOException("Unexpected response: " + status);
		}
		boolean chunked = false;
		String header;
		while ((header = line(in)) != null && !header.isEmpty()) {
			chunked |= header.equalsIgnoreCase("Transfer-Encoding: chunked");
		}
		if (!chunked) {
			throw new IOException("Expected a chunked stream");
		}
		EventParser parser = new EventParser();
		for (;;) {
			String size = line(in);
			if (size == null) {
				return;
			}
			int length;
			try {
				length = Integer.parseInt(size.trim(), 16);
			}
			catch (NumberFormatException ex) {
				throw new IOException("Bad chunk size line: '" + size + "'", ex);
			}
			if (length == 0) {
				return; // the server ended the stream
			}
			byte[] chunk = in.readNBytes(length);
			if (chunk.length < length) {
				return;
			}
			parser.feed(chunk);
			line(in); // CRLF after the chunk
		}
	}

	/** A line of the HTTP framing (CRLF), or {@code null} at the end of the stream. */
	private static @Nullable String line(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != -1) {
			if (b == '\n') {
				byte[] bytes = line.toByteArray();
				int end = (bytes.length > 0 && bytes[bytes.length - 1] == '\r') ? bytes.length - 1 : bytes.length;
				return new String(bytes, 0, end, StandardCharsets.US_ASCII);
			}
			line.write(b);
		}
		return null;
	}

	@Override
	public void close() {
		this.closed = true;
		Socket current = this.socket;
		if (current != null) {
			try {
				current.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}
	}

	/** Reads at most {@code readSize} bytes at a time from the socket, pausing after each read. */
	private final class Throttled extends InputStream {

		private final InputStream in;

		private final byte[] buffer = new byte[SlowSseClient.this.readSize];

		private int position;

		private int limit;

		Throttled(InputStream in) {
			this.in = in;
		}

		@Override
		public int read() throws IOException {
			if (this.position == this.limit && !fill()) {
				return -1;
			}
			return this.buffer[this.position++] & 0xff;
		}

		@Override
		public int read(byte[] target, int offset, int length) throws IOException {
			if (this.position == this.limit && !fill()) {
				return -1;
			}
			int count = Math.min(length, this.limit - this.position);
			System.arraycopy(this.buffer, this.position, target, offset, count);
			this.position += count;
			return count;
		}

		private boolean fill() throws IOException {
			while (SlowSseClient.this.paused && !SlowSseClient.this.closed) {
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
			}
			LockSupport.parkNanos(SlowSseClient.this.pauseNanos);
			int count = this.in.read(this.buffer);
			if (count <= 0) {
				return false;
			}
			recordRaw(this.buffer, count);
			this.position = 0;
			this.limit = count;
			return true;
		}

	}

	/** Parses the server's SSE blocks (LF line ends) into events. */
	private final class EventParser {

		private final ByteArrayOutputStream line = new ByteArrayOutputStream();

		private @Nullable String id;

		private @Nullable String event;

		private @Nullable StringBuilder data;

		void feed(byte[] bytes) {
			for (byte b : bytes) {
				if (b != '\n') {
					this.line.write(b);
					continue;
				}
				String text = this.line.toString(StandardCharsets.UTF_8);
				this.line.reset();
				if (text.isEmpty()) {
					dispatch();
				}
				else if (!text.startsWith(":")) {
					field(text);
				}
			}
		}

		private void field(String text) {
			int colon = text.indexOf(':');
			String name = (colon < 0) ? text : text.substring(0, colon);
			String value = (colon < 0) ? "" : text.substring(colon + 1);
			value = value.startsWith(" ") ? value.substring(1) : value;
			switch (name) {
				case "id" -> this.id = value;
				case "event" -> this.event = value;
				case "data" -> this.data = (this.data == null) ? new StringBuilder(value) : this.data.append('\n').append(value);
				default -> {
				}
			}
		}

		private void dispatch() {
			if (this.id != null) {
				SlowSseClient.this.lastEventId = this.id;
			}
			if (this.data != null) {
				SlowSseClient.this.received.add(new DeliveryCheck.Received(this.id,
						(this.event != null) ? this.event : "message", this.data.toString()));
			}
			this.id = null;
			this.event = null;
			this.data = null;
		}

	}

	/** The ids of the received events that are not protocol notices. */
	public List<String> eventIds() {
		List<String> ids = new ArrayList<>();
		for (DeliveryCheck.Received event : this.received) {
			if (!event.type().startsWith("sse.")) {
				ids.add(event.id());
			}
		}
		return ids;
	}

}
