package io.github.ssestarter.benchmarks.servers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The ceiling for this machine: JDK NIO only, no framework, and only what a single-topic
 * broadcast needs. Publishing encodes the event once into a shared ring of frames and
 * wakes the writer threads (one per core, each owning a share of the connections). A
 * connection is just a position in the ring: a writer copies everything from there to
 * the head into its own buffer and writes it in one non-blocking {@code write}, so the
 * busier the server, the bigger the batches, and an idle connection holds no buffer. A
 * connection that falls more than half a ring behind (a client that does not read) skips
 * ahead, losing those events.
 */
final class NioVariant implements Variant {

	private static final int RING = 1 << 14;

	private static final int MASK = RING - 1;

	private static final int MAX_BEHIND = RING / 2;

	private static final int WRITE_BUFFER = 64 * 1024;

	private static final byte[] RESPONSE_HEAD = ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
			+ "Cache-Control: no-cache\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

	private final byte[][] frames = new byte[RING][];

	/** The next ring position to publish to; written by the one publishing thread. */
	private volatile long head;

	private final List<Connection> connections = new CopyOnWriteArrayList<>();

	private final List<Writer> writers = new ArrayList<>();

	private final AtomicLong dropped = new AtomicLong();

	private Selector selector;

	@Override
	public int start() throws IOException {
		ServerSocketChannel server = ServerSocketChannel.open();
		server.bind(new InetSocketAddress("127.0.0.1", 0), 4096);
		server.configureBlocking(false);
		this.selector = Selector.open();
		server.register(this.selector, SelectionKey.OP_ACCEPT);
		start(new Thread(this::select, "nio-selector"));
		for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
			Writer writer = new Writer();
			this.writers.add(writer);
			writer.thread = new Thread(writer, "nio-writer-" + i);
			start(writer.thread);
		}
		return server.socket().getLocalPort();
	}

	private static void start(Thread thread) {
		thread.setDaemon(true);
		thread.start();
	}

	@Override
	public String path() {
		return "/stream";
	}

	@Override
	public void publish(String data) {
		long position = this.head;
		this.frames[(int) (position & MASK)] = ("id: " + position + "\ndata: " + data + "\n\n")
			.getBytes(StandardCharsets.UTF_8);
		this.head = position + 1;
		for (Writer writer : this.writers) {
			writer.signal();
		}
	}

	@Override
	public int connections() {
		return this.connections.size();
	}

	@Override
	public long dropped() {
		return this.dropped.get();
	}

	/** Accepts connections, reads each request head, and wakes a writer when a full socket drains. */
	private void select() {
		ByteBuffer scratch = ByteBuffer.allocate(8192);
		try {
			while (true) {
				this.selector.select();
				Iterator<SelectionKey> keys = this.selector.selectedKeys().iterator();
				while (keys.hasNext()) {
					SelectionKey key = keys.next();
					keys.remove();
					if (!key.isValid()) {
						continue;
					}
					if (key.isAcceptable()) {
						SocketChannel channel = ((ServerSocketChannel) key.channel()).accept();
						if (channel != null) {
							channel.configureBlocking(false);
							channel.setOption(StandardSocketOptions.TCP_NODELAY, true); // as servlet containers do
							channel.register(this.selector, SelectionKey.OP_READ, new Connection(channel));
						}
					}
					else if (key.isReadable()) {
						readRequest(key, (Connection) key.attachment(), scratch);
					}
					else if (key.isWritable()) {
						key.interestOps(SelectionKey.OP_READ);
						Connection connection = (Connection) key.attachment();
						connection.full = false;
						connection.writer.signal();
					}
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void readRequest(SelectionKey key, Connection connection, ByteBuffer scratch) throws IOException {
		scratch.clear();
		int read;
		try {
			read = connection.channel.read(scratch);
		}
		catch (IOException ex) {
			read = -1;
		}
		if (read < 0) {
			close(key, connection);
			return;
		}
		if (connection.writer == null && connection.headEnds(scratch.array(), read)) {
			connection.channel.write(ByteBuffer.wrap(RESPONSE_HEAD)); // a fresh socket takes it whole
			connection.key = key;
			connection.position = this.head;
			connection.writer = this.writers.get(this.connections.size() % this.writers.size());
			this.connections.add(connection);
			connection.writer.connections.add(connection);
		}
	}

	private void close(SelectionKey key, Connection connection) throws IOException {
		key.cancel();
		connection.channel.close();
		this.connections.remove(connection);
		if (connection.writer != null) {
			connection.writer.connections.remove(connection);
		}
	}

	/** A writer thread: when signalled, writes each of its connections up to the head of the ring. */
	private final class Writer implements Runnable {

		final List<Connection> connections = new CopyOnWriteArrayList<>();

		private final AtomicBoolean signalled = new AtomicBoolean();

		private final ByteBuffer buffer = ByteBuffer.allocateDirect(WRITE_BUFFER);

		volatile Thread thread;

		void signal() {
			if (!this.signalled.get() && !this.signalled.getAndSet(true)) {
				LockSupport.unpark(this.thread);
			}
		}

		@Override
		public void run() {
			while (true) {
				if (!this.signalled.get()) {
					LockSupport.park(this);
					continue;
				}
				this.signalled.set(false);
				for (Connection connection : this.connections) {
					write(connection);
				}
			}
		}

		private void write(Connection connection) {
			long head = NioVariant.this.head;
			if (connection.full || connection.position == head) {
				return;
			}
			if (head - connection.position > MAX_BEHIND) {
				NioVariant.this.dropped.addAndGet(head - MAX_BEHIND - connection.position);
				connection.position = head - MAX_BEHIND;
				connection.offset = 0;
			}
			ByteBuffer out = this.buffer;
			out.clear();
			long position = connection.position;
			int offset = connection.offset;
			while (position < head && out.hasRemaining()) {
				byte[] frame = NioVariant.this.frames[(int) (position & MASK)];
				int length = Math.min(frame.length - offset, out.remaining());
				out.put(frame, offset, length);
				offset += length;
				if (offset == frame.length) {
					position++;
					offset = 0;
				}
			}
			out.flip();
			int written;
			try {
				written = connection.channel.write(out);
			}
			catch (IOException ex) {
				connection.position = head; // gone: the selector closes it
				return;
			}
			advance(connection, written);
			if (out.hasRemaining()) { // the socket is full: the selector wakes us when it drains
				connection.full = true;
				connection.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
				NioVariant.this.selector.wakeup();
			}
		}

		private void advance(Connection connection, int written) {
			long position = connection.position;
			int offset = connection.offset + written;
			int length;
			while (offset > 0 && offset >= (length = NioVariant.this.frames[(int) (position & MASK)].length)) {
				offset -= length;
				position++;
			}
			connection.position = position;
			connection.offset = offset;
		}

	}

	/** One client socket: its place in the ring, owned by one writer. */
	private static final class Connection {

		final SocketChannel channel;

		volatile SelectionKey key;

		volatile Writer writer;

		/** The next frame to write, and how much of it is already written. Touched by the writer only. */
		long position;

		int offset;

		volatile boolean full;

		private int headMatched;

		Connection(SocketChannel channel) {
			this.channel = channel;
		}

		/** Whether the request head ends in these bytes (a blank line). */
		boolean headEnds(byte[] bytes, int length) {
			for (int i = 0; i < length; i++) {
				byte expected = (this.headMatched % 2 == 0) ? (byte) '\r' : (byte) '\n';
				this.headMatched = (bytes[i] == expected) ? this.headMatched + 1 : ((bytes[i] == '\r') ? 1 : 0);
				if (this.headMatched == 4) {
					return true;
				}
			}
			return false;
		}

	}

}
