package io.github.ssestarter.engine;

import java.util.Arrays;
import java.util.function.LongConsumer;

import org.jspecify.annotations.Nullable;

import io.github.ssestarter.encode.SseFrame;

/**
 * The frames of one write. A write of a single frame passes its bytes as they are; from
 * the second frame on, frames are copied straight into one array, sized up front from
 * what was queued, so they leave in one chunk with one copy and no list. Used by one
 * drainer at a time.
 */
final class WriteBatch {

	private final int maxBytes;

	private final int expectedBytes;

	private @Nullable SseFrame single;

	private byte @Nullable [] buffer;

	private int bytes;

	/** Creation times of the live events, kept only when latencies are recorded. */
	private final long @Nullable [] createdNanos;

	private int created;

	/** Live events in the batch. */
	int live;

	/** Events from the history for a client that resumed ({@code Last-Event-ID}). */
	int replayed;

	/** Events from the history for a stream that fell behind. */
	int caughtUp;

	WriteBatch(int maxBytes, long queuedBytes, boolean recordLatencies, int queuedFrames) {
		this.maxBytes = maxBytes;
		this.expectedBytes = (int) Math.min(queuedBytes, maxBytes);
		this.createdNanos = recordLatencies ? new long[Math.max(1, queuedFrames)] : null;
	}

	void add(SseFrame frame) {
		int size = frame.size();
		if (this.single == null && this.buffer == null) {
			this.single = frame;
		}
		else {
			if (this.buffer == null) {
				this.buffer = new byte[Math.max(this.expectedBytes, this.bytes + size)];
				System.arraycopy(this.single.bytes(), 0, this.buffer, 0, this.bytes);
				this.single = null;
			}
			else if (this.bytes + size > this.buffer.length) {
				this.buffer = Arrays.copyOf(this.buffer, Math.max(this.bytes + size, this.buffer.length * 2));
			}
			System.arraycopy(frame.bytes(), 0, this.buffer, this.bytes, size);
		}
		this.bytes += size;
	}

	void addLive(SseFrame frame) {
		add(frame);
		if (frame.isEvent()) {
			this.live++;
			long[] times = this.createdNanos;
			if (times != null && this.created < times.length) {
				times[this.created++] = frame.createdNanos();
			}
		}
	}

	void addHistory(SseFrame frame, boolean catchUp) {
		add(frame);
		if (catchUp) {
			this.caughtUp++;
		}
		else {
			this.replayed++;
		}
	}

	int events() {
		return this.live + this.replayed + this.caughtUp;
	}

	void recordLatencies(long flushedNanos, LongConsumer recorder) {
		long[] times = this.createdNanos;
		for (int i = 0; times != null && i < this.created; i++) {
			recorder.accept(flushedNanos - times[i]);
		}
	}

	boolean isFull() {
		return this.bytes >= this.maxBytes;
	}

	boolean isEmpty() {
		return this.bytes == 0 && this.single == null;
	}

	byte[] payload() {
		if (this.buffer == null) {
			return this.single.bytes();
		}
		return (this.bytes == this.buffer.length) ? this.buffer : Arrays.copyOf(this.buffer, this.bytes);
	}

}
