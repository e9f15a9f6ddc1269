package io.github.ssestarter.engine;

import java.io.IOException;
import java.util.Arrays;
import java.util.function.LongConsumer;

import org.jspecify.annotations.Nullable;

import io.github.ssestarter.encode.SseFrame;

/**
 * The frames of one write. A write of a single frame passes its bytes as they are; from
 * the second frame on, frames are copied straight into one array, sized up front from
 * what was queued, so they leave in one chunk with one copy and no list. A small batch
 * (the usual one at moderate rates) is copied into the writing thread's scratch array,
 * which is used again as long as the transport says it is done with it when its write
 * returns, so that steady delivery allocates no array per write. Used by one drainer at a
 * time.
 */
final class WriteBatch {

	/** The largest scratch array: batches expected to fit use one. */
	static final int SCRATCH_BYTES = 8 * 1024;

	/** The smallest scratch array, so that one grows a few times at most. */
	private static final int MIN_SCRATCH_BYTES = 512;

	/** Each writing thread's scratch array. */
	private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

	private final int maxBytes;

	private final int expectedBytes;

	private @Nullable SseFrame single;

	private byte @Nullable [] buffer;

	/** Whether {@link #buffer} is this thread's scratch array. */
	private boolean scratch;

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
				this.buffer = firstBuffer(Math.max(this.expectedBytes, this.bytes + size));
				System.arraycopy(this.single.bytes(), 0, this.buffer, 0, this.bytes);
				this.single = null;
			}
			else if (this.bytes + size > this.buffer.length) {
				byte[] outgrown = this.buffer;
				this.buffer = Arrays.copyOf(outgrown, Math.max(this.bytes + size, outgrown.length * 2));
				if (this.scratch) {
					this.scratch = false;
					SCRATCH.get().giveBack(outgrown); // copied out: free again
				}
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

	/** The thread's scratch array when the batch is expected to fit in one, else a new array. */
	private byte[] firstBuffer(int size) {
		if (size > SCRATCH_BYTES) {
			return new byte[size];
		}
		this.scratch = true;
		return SCRATCH.get().take(size);
	}

	/**
	 * Write the batch: the single frame's bytes as they are, or the gathered bytes.
	 * @param transport where they go
	 * @throws IOException if the client is gone
	 */
	void writeTo(SseTransport transport) throws IOException {
		byte[] gathered = this.buffer;
		if (gathered == null) {
			transport.write(this.single.bytes());
			return;
		}
		if (transport.writeReusable(gathered, this.bytes) && this.scratch) {
			SCRATCH.get().giveBack(gathered);
		}
	}

	/**
	 * A thread's scratch array: taken for a batch, given back once the transport is done
	 * with it (a transport that keeps it keeps it: the next batch gets a new one). Sized to
	 * what batches needed so far, so that a thread that only ever writes small batches
	 * holds a small array.
	 */
	private static final class Scratch {

		private byte @Nullable [] array;

		byte[] take(int size) {
			byte[] mine = this.array;
			this.array = null; // a write inside this one's (a container calling back) gets its own
			if (mine == null || mine.length < size) {
				int length = Math.max(MIN_SCRATCH_BYTES, Integer.highestOneBit(Math.max(1, size - 1)) << 1);
				mine = new byte[Math.min(length, SCRATCH_BYTES)];
			}
			return mine;
		}

		void giveBack(byte[] used) {
			this.array = used;
		}

	}

}
