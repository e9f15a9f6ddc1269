package io.github.ssestarter.benchmarks.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * An SSE load client on JDK NIO: a few selector threads hold thousands of connections, parse
 * the stream byte by byte (blank-line-separated blocks, {@code data:} lines) and record, for
 * each event, the latency from the publish time carried at the start of its data
 * ({@code <System.nanoTime()>:...}; nanoTime is machine-wide on Linux, so it compares across
 * processes). A "stalled" connection sends its request and then never reads.
 */
final class LoadClient implements AutoCloseable {

	private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);

	private final List<Loop> loops = new ArrayList<>();

	private final List<SocketChannel> stalled = new ArrayList<>();

	private final List<Stream> streams = new ArrayList<>();

	private final LongAdder received = new LongAdder();

	LoadClient(int threads) throws IOException {
		for (int i = 0; i < threads; i++) {
			Loop loop = new Loop(Selector.open());
			this.loops.add(loop);
			Thread thread = new Thread(loop, "load-client-" + i);
			thread.setDaemon(true);
			thread.start();
		}
	}

	/**
	 * Open connections and send each its request; returns how many were sent (fewer when
	 * the server refused one). Whether the server serves them is for the caller to check:
	 * some servers send no response headers until the first event.
	 * @param stall whether these connections never read after sending the request
	 */
	int connect(int port, String path, int connections, boolean stall) throws InterruptedException {
		byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: localhost:" + port
				+ "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
		int sent = 0;
		for (int i = 0; i < connections; i++) {
			try {
				SocketChannel channel = SocketChannel.open();
				if (stall) {
					channel.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
				}
				channel.connect(new InetSocketAddress("127.0.0.1", port));
				channel.write(ByteBuffer.wrap(request));
				sent++;
				if (stall) {
					this.stalled.add(channel);
					continue;
				}
				channel.configureBlocking(false);
				Stream stream = new Stream(channel, this.received);
				this.streams.add(stream);
				this.loops.get(i % this.loops.size()).add(stream);
			}
			catch (IOException ex) {
				System.err.println("Connection " + (i + 1) + " of " + connections + " failed: " + ex);
				break;
			}
			if (i % 500 == 499) {
				Thread.sleep(20); // do not overrun the server's accept backlog
			}
		}
		return sent;
	}

	/**
	 * Wait until the count reaches the target, or nothing arrives for {@code quietMillis},
	 * or the time is up; returns the {@link System#nanoTime()} of the last arrival seen.
	 */
	long awaitQuiet(long target, long quietMillis, long timeoutMillis) throws InterruptedException {
		long start = System.nanoTime();
		long lastProgress = start;
		long last = this.received.sum();
		while (true) {
			long now = System.nanoTime();
			long count = this.received.sum();
			if (count != last) {
				last = count;
				lastProgress = now;
			}
			if (count >= target || now - lastProgress > quietMillis * 1_000_000L
					|| now - start > timeoutMillis * 1_000_000L) {
				return lastProgress;
			}
			Thread.sleep(1);
		}
	}

	long received() {
		return this.received.sum();
	}

	/** The latencies (nanoseconds) recorded since the last call, merged over all selector threads. */
	Histogram drainHistogram() {
		Histogram merged = new Histogram(3);
		for (Loop loop : this.loops) {
			merged.add(loop.latencies.getIntervalHistogram());
		}
		return merged;
	}

	void resetCount() {
		this.received.reset();
	}

	/** Close the most recently opened reading connections. */
	void closeLast(int count) throws IOException {
		for (int i = 0; i < count && !this.streams.isEmpty(); i++) {
			this.streams.remove(this.streams.size() - 1).channel.close();
		}
	}

	@Override
	public void close() throws IOException {
		for (Loop loop : this.loops) {
			loop.stop();
		}
		for (SocketChannel channel : this.stalled) {
			channel.close();
		}
	}

	/** One selector and its connections. */
	private static final class Loop implements Runnable {

		private final Selector selector;

		private final ConcurrentLinkedQueue<Stream> pending = new ConcurrentLinkedQueue<>();

		final SingleWriterRecorder latencies = new SingleWriterRecorder(3);

		private volatile boolean running = true;

		private final ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);

		private final byte[] bytes = new byte[256 * 1024];

		Loop(Selector selector) {
			this.selector = selector;
		}

		void add(Stream stream) {
			this.pending.add(stream);
			this.selector.wakeup();
		}

		void stop() throws IOException {
			this.running = false;
			this.selector.wakeup();
		}

		@Override
		public void run() {
			try {
				while (this.running) {
					this.selector.select(100);
					Stream added;
					while ((added = this.pending.poll()) != null) {
						added.channel.register(this.selector, SelectionKey.OP_READ, added);
					}
					Iterator<SelectionKey> keys = this.selector.selectedKeys().iterator();
					while (keys.hasNext()) {
						SelectionKey key = keys.next();
						keys.remove();
						Stream stream = (Stream) key.attachment();
						read(key, stream);
					}
				}
				for (SelectionKey key : this.selector.keys()) {
					key.channel().close();
				}
				this.selector.close();
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

		private void read(SelectionKey key, Stream stream) {
			try {
				this.buffer.clear();
				int n = stream.channel.read(this.buffer);
				if (n < 0) {
					key.cancel();
					stream.channel.close();
					return;
				}
				this.buffer.flip();
				this.buffer.get(this.bytes, 0, n);
				stream.parse(this.bytes, n, this.latencies);
			}
			catch (IOException ex) {
				key.cancel();
			}
		}

	}

	/**
	 * The parsing state of one connection: HTTP headers, then (if chunked) chunk framing,
	 * then SSE lines. Only what the measurement needs is parsed: a {@code data:} line that
	 * starts with digits and a colon is a published event.
	 */
	private static final class Stream {

		private static final int SIZE = 0;

		private static final int SIZE_LF = 1;

		private static final int BODY = 2;

		private static final int BODY_CR = 3;

		private static final int BODY_LF = 4;

		final SocketChannel channel;

		private final LongAdder received;

		private boolean headersDone;

		private final StringBuilder headers = new StringBuilder();

		private boolean chunked;

		private int chunkState = SIZE;

		private long chunkRemaining;

		private int linePosition;

		private boolean inData;

		private long number;

		private boolean numberDone;

		Stream(SocketChannel channel, LongAdder received) {
			this.channel = channel;
			this.received = received;
		}

		void parse(byte[] bytes, int length, SingleWriterRecorder histogram) {
			int i = 0;
			if (!this.headersDone) {
				for (; i < length && !this.headersDone; i++) {
					this.headers.append((char) bytes[i]);
					int size = this.headers.length();
					if (size >= 4 && this.headers.charAt(size - 1) == '\n' && this.headers.charAt(size - 2) == '\r'
							&& this.headers.charAt(size - 3) == '\n' && this.headers.charAt(size - 4) == '\r') {
						this.chunked = this.headers.toString().toLowerCase().contains("transfer-encoding: chunked");
						this.headersDone = true;
					}
				}
			}
			while (i < length) {
				if (!this.chunked) {
					i = body(bytes, i, length, histogram);
				}
				else if (this.chunkState == BODY) {
					int end = (int) Math.min(length, i + this.chunkRemaining);
					this.chunkRemaining -= end - i;
					i = body(bytes, i, end, histogram);
					if (this.chunkRemaining == 0) {
						this.chunkState = BODY_CR;
					}
				}
				else {
					chunkFraming(bytes[i++]);
				}
			}
		}

		private void chunkFraming(byte b) {
			switch (this.chunkState) {
				case SIZE -> {
					if (b == '\r') {
						this.chunkState = SIZE_LF;
					}
					else {
						this.chunkRemaining = this.chunkRemaining * 16 + Character.digit(b, 16);
					}
				}
				case SIZE_LF -> this.chunkState = (this.chunkRemaining == 0) ? BODY_CR : BODY;
				case BODY_CR -> this.chunkState = BODY_LF;
				default -> { // BODY_LF: the chunk's closing LF
					this.chunkState = SIZE;
					this.chunkRemaining = 0;
				}
			}
		}

		/** Parse SSE bytes [from, to); the rest of a line that cannot matter is skipped in a tight loop. */
		private int body(byte[] bytes, int from, int to, SingleWriterRecorder histogram) {
			int i = from;
			while (i < to) {
				if (this.linePosition < 0) {
					while (i < to && bytes[i] != '\n') {
						i++;
					}
					if (i == to) {
						break;
					}
				}
				sse(bytes[i++], histogram);
			}
			return to;
		}

		private void sse(byte b, SingleWriterRecorder histogram) {
			if (b == '\n') {
				if (this.inData && this.numberDone) {
					histogram.recordValue(Math.max(0, System.nanoTime() - this.number));
					this.received.increment();
				}
				this.linePosition = 0;
				this.inData = false;
				this.number = 0;
				this.numberDone = false;
				return;
			}
			if (this.linePosition < 0) {
				return;
			}
			if (this.linePosition < DATA.length) {
				this.linePosition = (b == DATA[this.linePosition]) ? this.linePosition + 1 : -1;
				this.inData = this.linePosition == DATA.length;
				return;
			}
			if (this.linePosition == DATA.length) {
				this.linePosition++;
				if (b == ' ') {
					return; // the optional space after the colon
				}
			}
			if (b >= '0' && b <= '9') {
				this.number = this.number * 10 + (b - '0');
			}
			else {
				this.numberDone = (b == ':');
				this.inData = this.numberDone;
				this.linePosition = -1;
			}
		}

	}

}
