package io.github.ssestarter.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.ssestarter.engine.SseTransport;

/**
 * An in-memory transport: records every write, and can hold writes (a client that does
 * not read) or fail them (a client that went away).
 */
public final class RecordingTransport implements SseTransport {

	private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

	private final AtomicInteger writes = new AtomicInteger();

	private final AtomicInteger concurrentWriters = new AtomicInteger();

	private volatile boolean overlapped;

	private volatile Semaphore gate;

	private volatile boolean failing;

	private volatile boolean completed;

	private volatile long delayNanos;

	private volatile boolean confirming;

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

	@Override
	public boolean confirmsCompletion() {
		return this.confirming;
	}

	/** Like a servlet container: completion is confirmed later, through the connection. */
	public RecordingTransport confirmingCompletion() {
		this.confirming = true;
		return this;
	}

	/** Hold every write until {@link #release()}. */
	public RecordingTransport hold() {
		this.gate = new Semaphore(0);
		return this;
	}

	public void release() {
		Semaphore gate = this.gate;
		this.gate = null;
		if (gate != null) {
			gate.release(1_000_000);
		}
	}

	public RecordingTransport failWrites() {
		this.failing = true;
		return this;
	}

	public RecordingTransport delayEachWrite(long nanos) {
		this.delayNanos = nanos;
		return this;
	}

	public String text() {
		synchronized (this.bytes) {
			return this.bytes.toString(StandardCharsets.UTF_8);
		}
	}

	public List<SseWire.Block> blocks() {
		return SseWire.parse(text());
	}

	/** Published events (blocks with an id and data, excluding the connection notices). */
	public List<SseWire.Block> events() {
		return blocks().stream()
			.filter((block) -> block.isEvent() && block.id() != null && (block.event() == null
					|| !block.event().startsWith("sse.")))
			.toList();
	}

	public int writes() {
		return this.writes.get();
	}

	public boolean isCompleted() {
		return this.completed;
	}

	/** Whether two writes ever ran at the same time (there must be one drainer per connection). */
	public boolean overlapped() {
		return this.overlapped;
	}

}
