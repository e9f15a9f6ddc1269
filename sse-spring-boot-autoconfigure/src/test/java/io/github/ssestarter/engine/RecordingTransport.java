package io.github.ssestarter.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.ssestarter.support.SseWire;

/**
 * An in-memory transport: records every write, and can hold writes (a client that does
 * not read) or fail them (a client that went away).
 */
final class RecordingTransport implements SseTransport {

	private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

	private final AtomicInteger writes = new AtomicInteger();

	private final AtomicInteger concurrentWriters = new AtomicInteger();

	private volatile boolean overlapped;

	private volatile Semaphore gate;

	private volatile boolean failing;

	private volatile boolean completed;

	private volatile long delayNanos;

	@Override
	public void write(byte[] payload) throws IOException {
		if (this.concurrentWriters.incrementAndGet() > 1) {
			this.overlapped = true;
		}
		try {
			Semaphore gate = this.gate;
			if (gate != null) {
				gate.acquireUninterruptibly();
			}
			if (this.delayNanos > 0) {
				java.util.concurrent.locks.LockSupport.parkNanos(this.delayNanos);
			}
			if (this.failing) {
				throw new IOException("Broken pipe");
			}
			synchronized (this.bytes) {
				this.bytes.write(payload);
			}
			this.writes.incrementAndGet();
		}
		finally {
			this.concurrentWriters.decrementAndGet();
		}
	}

	@Override
	public void complete() {
		this.completed = true;
	}

	/** Hold every write until {@link #release()}. */
	RecordingTransport hold() {
		this.gate = new Semaphore(0);
		return this;
	}

	void release() {
		Semaphore gate = this.gate;
		this.gate = null;
		if (gate != null) {
			gate.release(1_000_000);
		}
	}

	RecordingTransport failWrites() {
		this.failing = true;
		return this;
	}

	RecordingTransport delayEachWrite(long nanos) {
		this.delayNanos = nanos;
		return this;
	}

	String text() {
		synchronized (this.bytes) {
			return this.bytes.toString(StandardCharsets.UTF_8);
		}
	}

	List<SseWire.Block> blocks() {
		return SseWire.parse(text());
	}

	/** Published events (blocks with an id and data, excluding the connection notices). */
	List<SseWire.Block> events() {
		return blocks().stream()
			.filter((block) -> block.isEvent() && block.id() != null && (block.event() == null
					|| !block.event().startsWith("sse.")))
			.toList();
	}

	int writes() {
		return this.writes.get();
	}

	boolean isCompleted() {
		return this.completed;
	}

	/** Whether two writes ever ran at the same time (there must be one drainer per connection). */
	boolean overlapped() {
		return this.overlapped;
	}

}
