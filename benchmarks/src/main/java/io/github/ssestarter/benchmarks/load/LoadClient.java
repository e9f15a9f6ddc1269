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
import org.jspecify.annotations.Nullable;

/**
 * An SSE load client on JDK NIO: a few selector threads hold thousands of connections, parse
 * the stream byte by byte (blank-line-separated blocks, {@code data:} lines) and record, for
 * each event, the latency from the publish time carried at the start of its data
 * ({@code <System.nanoTime()>:...}; nanoTime is machine-wide on Linux, so it compares across
 * processes). A "stalled" connection sends its request and then never reads. A "slow reader"
 * takes, on one thread for all of them, half the bytes of what has been published since it
 * connected, and checks, from the publish sequence in each event's data, that it misses
 * nothing without an {@code sse.reset} saying so.
 */
public final class LoadClient implements AutoCloseable {

	private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);

	private final List<Loop> loops = new ArrayList<>();

	private final List<SocketChannel> stalled = new ArrayList<>();

	private final List<Stream> streams = new ArrayList<>();

	private final LongAdder received = new LongAdder();

	private final LongAdder bytes = new LongAdder();

	private final List<SlowStream> slowStreams = new java.util.concurrent.CopyOnWriteArrayList<>();

	private volatile boolean running = true;

	private @Nullable Thread slowReader;

	/** Bytes each slow reader may have taken so far: half of what was published since they connected. */
	private final java.util.concurrent.atomic.AtomicLong slowAllowance = new java.util.concurrent.atomic.AtomicLong();

	/**
	 * Start the selector threads.
	 * @param threads how many
	 * @throws IOException if a selector cannot be opened
	 */
	public LoadClient(int threads) throws IOException {
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
	public int connect(int port, String path, int connections, boolean stall) throws InterruptedException {
		byte[] request = request(port, path);
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
				Stream stream = new Stream(channel, this.received, this.bytes);
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

	private static byte[] request(int port, String path) {
		return ("GET " + path + " HTTP/1.1\r\nHost: localhost:" + port
				+ "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * Open connections that read, on one thread of their own and with a small receive
	 * window, only what {@link #allowSlowReaders} allows; their events are not counted with
	 * the others'.
	 */
	void connectSlow(int port, String path, int connections) throws IOException {
		this.slowAllowance.set(0);
		for (int i = 0; i < connections; i++) {
			SocketChannel channel = SocketChannel.open();
			channel.setOption(StandardSocketOptions.SO_RCVBUF, 8192);
			channel.connect(new InetSocketAddress("127.0.0.1", port));
			channel.write(ByteBuffer.wrap(request(port, path)));
			channel.configureBlocking(false);
			this.slowStreams.add(new SlowStream(channel));
		}
		if (this.slowReader == null) {
			Thread thread = new Thread(this::readSlowly, "load-client-slow");
			thread.setDaemon(true);
			thread.start();
			this.slowReader = thread;
		}
	}

	/** Let each slow reader have taken this many more bytes in all (the harness: half of what it publishes). */
	void allowSlowReaders(long bytes) {
		this.slowAllowance.addAndGet(bytes);
	}

	/** Every 20 ms, let each slow reader take what it is allowed and has not taken yet. */
	private void readSlowly() {
		ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
		byte[] chunk = new byte[256 * 1024];
		while (this.running) {
			long allowance = this.slowAllowance.get();
			for (SlowStream stream : this.slowStreams) {
				try {
					long budget = allowance - stream.taken;
					while (budget > 0) {
						buffer.clear().limit((int) Math.min(budget, buffer.capacity()));
						int n = stream.channel.read(buffer);
						if (n <= 0) {
							stream.ended |= n < 0;
							break;
						}
						buffer.flip();
						buffer.get(chunk, 0, n);
						stream.parse(chunk, n, null);
						stream.taken += n;
						budget -= n;
					}
				}
				catch (IOException ex) {
					stream.ended = true;
				}
			}
			java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
		}
	}

	/** What the slow readers received, summed over all of them. */
	SlowReport slowReport() {
		long events = 0;
		long lost = 0;
		long gaps = 0;
		long outOfOrder = 0;
		long resets = 0;
		int ended = 0;
		for (SlowStream stream : this.slowStreams) {
			events += stream.events;
			lost += stream.lostSilently;
			gaps += stream.silentGaps;
			outOfOrder += stream.outOfOrder;
			resets += stream.resets;
			ended += stream.ended ? 1 : 0;
		}
		return new SlowReport(events, lost, gaps, outOfOrder, resets, ended);
	}

	/** Close the slow readers' connections. */
	void closeSlow() throws IOException {
		for (SlowStream stream : this.slowStreams) {
			stream.channel.close();
		}
		this.slowStreams.clear();
	}

	/**
	 * What slow readers received.
	 *
	 * @param events events received
	 * @param lostSilently events skipped without an {@code sse.reset} before the next one
	 * @param silentGaps how many such jumps
	 * @param outOfOrder events received twice or before an earlier one
	 * @param resets {@code sse.reset} notices received
	 * @param ended streams the server ended
	 */
	record SlowReport(long events, long lostSilently, long silentGaps, long outOfOrder, long resets, int ended) {
	}

	/**
	 * Wait until the count reaches the target, or nothing arrives for {@code quietMillis},
	 * or the time is up; returns the {@link System#nanoTime()} of the last arrival seen.
	 */
	public long awaitQuiet(long target, long quietMillis, long timeoutMillis) throws InterruptedException {
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

	/** Events the reading (not slow) connections have received since the last reset of the count. */
	public long received() {
		return this.received.sum();
	}

	/** Bytes the reading (not slow) connections have received since the last reset of the count. */
	long bytes() {
		return this.bytes.sum();
	}

	/** The latencies (nanoseconds) recorded since the last call, merged over all selector threads. */
	public Histogram drainHistogram() {
		Histogram merged = new Histogram(3);
		for (Loop loop : this.loops) {
			merged.add(loop.latencies.getIntervalHistogram());
		}
		return merged;
	}

	/** Start counting events and bytes from zero. */
	public void resetCount() {
		this.received.reset();
		this.bytes.reset();
	}

	/** How many reading (not stalled, not slow) connections are open. */
	int readingConnections() {
		return this.streams.size();
	}

	/** Close the connections that never read. */
	void closeStalled() throws IOException {
		for (SocketChannel channel : this.stalled) {
			channel.close();
		}
		this.stalled.clear();
	}

	/** Wait until the slow readers have received nothing for {@code quietMillis}, or the time is up. */
	void awaitSlowQuiet(long quietMillis, long timeoutMillis) throws InterruptedException {
		long start = System.nanoTime();
		long lastProgress = start;
		long last = slowReport().events();
		while (System.nanoTime() - lastProgress < quietMillis * 1_000_000L
				&& System.nanoTime() - start < timeoutMillis * 1_000_000L) {
			Thread.sleep(50);
			long events = slowReport().events();
			if (events != last) {
				last = events;
				lastProgress = System.nanoTime();
			}
		}
	}

	/** Close the most recently opened reading connections. */
	void closeLast(int count) throws IOException {
		for (int i = 0; i < count && !this.streams.isEmpty(); i++) {
			this.streams.remove(this.streams.size() - 1).channel.close();
		}
	}

	/** Close every connection and stop the threads. */
	@Override
	public void close() throws IOException {
		this.running = false;
		closeSlow();
		for (Loop loop : this.loops) {
			loop.stop();
		}
		closeStalled();
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
				stream.bytes.add(n);
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
	private static class Stream {

		private static final int SIZE = 0;

		private static final int SIZE_LF = 1;

		private static final int BODY = 2;

		private static final int BODY_CR = 3;

		private static final int BODY_LF = 4;

		final SocketChannel channel;

		private final LongAdder received;

		final LongAdder bytes;

		private boolean headersDone;

		private final StringBuilder headers = new StringBuilder();

		private boolean chunked;

		private int chunkState = SIZE;

		private long chunkRemaining;

		private int linePosition;

		private boolean inData;

		private long number;

		private boolean numberDone;

		Stream(SocketChannel channel, LongAdder received, LongAdder bytes) {
			this.channel = channel;
			this.received = received;
			this.bytes = bytes;
		}

		void parse(byte[] bytes, int length, @Nullable SingleWriterRecorder histogram) {
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
		int body(byte[] bytes, int from, int to, @Nullable SingleWriterRecorder histogram) {
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

		private void sse(byte b, @Nullable SingleWriterRecorder histogram) {
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

	/**
	 * A slow reader's stream: event names and the publish sequence at the start of each
	 * event's data ({@code <nanos>:<sequence>:}), matched byte by byte without allocating.
	 * An event whose sequence skips ahead is a silent loss unless an {@code sse.reset} came
	 * just before it.
	 */
	private static final class SlowStream extends Stream {

		private static final byte[] EVENT = "event:".getBytes(StandardCharsets.US_ASCII);

		private static final byte[] RESET = "sse.reset".getBytes(StandardCharsets.US_ASCII);

		private static final int START = 0;

		private static final int EVENT_NAME = 1;

		private static final int DATA_NANOS = 2;

		private static final int DATA_SEQUENCE = 3;

		private static final int SKIP = 4;

		/** Where in the current line: the field being matched and how far. */
		private int state = START;

		private int position;

		private boolean nameMatches;

		private boolean reset;

		private long number;

		private long sequence = -1;

		private boolean resetPending;

		private long lastSequence = -1;

		/** Bytes taken from the socket (the reading thread's own count). */
		long taken;

		volatile long events;

		volatile long lostSilently;

		volatile long silentGaps;

		volatile long outOfOrder;

		volatile long resets;

		volatile boolean ended;

		SlowStream(SocketChannel channel) {
			super(channel, new LongAdder(), new LongAdder());
		}

		@Override
		int body(byte[] bytes, int from, int to, @Nullable SingleWriterRecorder histogram) {
			for (int i = from; i < to; i++) {
				byte b = bytes[i];
				if (b == '\n') {
					endOfLine();
				}
				else {
					next(b);
				}
			}
			return to;
		}

		private void next(byte b) {
			switch (this.state) {
				case START -> {
					boolean event = this.position < EVENT.length && b == EVENT[this.position];
					boolean data = this.position < DATA.length && b == DATA[this.position];
					if (!event && !data) {
						this.state = SKIP;
					}
					else if (event && this.position == EVENT.length - 1) {
						this.state = EVENT_NAME;
						this.position = -1; // before the optional space
						this.nameMatches = true;
						return;
					}
					else if (data && this.position == DATA.length - 1) {
						this.state = DATA_NANOS;
						this.number = 0;
						this.position = -1;
						return;
					}
					this.position++;
				}
				case EVENT_NAME -> {
					if (this.position == -1 && b == ' ') {
						this.position = 0;
						return;
					}
					this.position = Math.max(0, this.position);
					this.nameMatches &= this.position < RESET.length && b == RESET[this.position];
					this.position++;
				}
				case DATA_NANOS, DATA_SEQUENCE -> {
					if (this.position == -1 && b == ' ') {
						this.position = 0;
						return;
					}
					this.position = 0;
					if (b >= '0' && b <= '9') {
						this.number = this.number * 10 + (b - '0');
					}
					else if (b == ':' && this.state == DATA_NANOS) {
						this.state = DATA_SEQUENCE;
						this.number = 0;
					}
					else {
						if (b == ':') {
							this.sequence = this.number;
						}
						this.state = SKIP;
					}
				}
				default -> {
				}
			}
		}

		private void endOfLine() {
			if (this.state == START && this.position == 0) {
				dispatch(); // a blank line
			}
			else if (this.state == EVENT_NAME) {
				this.reset = this.nameMatches && this.position == RESET.length;
			}
			this.state = START;
			this.position = 0;
		}

		private void dispatch() {
			if (this.reset) {
				this.resets++;
				this.resetPending = true;
			}
			else if (this.sequence >= 0) {
				if (this.lastSequence >= 0 && this.sequence <= this.lastSequence) {
					this.outOfOrder++;
				}
				else {
					if (this.lastSequence >= 0 && this.sequence > this.lastSequence + 1 && !this.resetPending) {
						this.lostSilently += this.sequence - this.lastSequence - 1;
						this.silentGaps++;
					}
					this.lastSequence = this.sequence;
				}
				this.resetPending = false;
				this.events++;
			}
			this.reset = false;
			this.sequence = -1;
		}

	}

}
