package io.github.ssestarter.engine;

import java.io.IOException;
import java.util.Arrays;
import java.util.function.LongConsumer;

import org.jspecify.annotations.Nullable;

import io.github.ssestarter.encode.SseFrame;

/**
 * The frames of one write. A write of a single frame passes its bytes as they are; from
 * the second frame on, frames are copied straight into one array, sized up front from
 * what was queued, so they leave in one chunk with one copy and no list. A batch up to
 * {@link #SCRATCH_BYTES} is copied into the batch's scratch array, which is used again as
 * long as the transport says it is done with it when its write returns (on Tomcat, always:
 * it copies what the socket does not take at once).
 * <p>
 * Each writing thread has one batch ({@link #take}, {@link #release}), used again for
 * its next write with its arrays, so that steady delivery allocates nothing per write. A
 * write inside another on the same thread (a container calling back into a blocking
 * transport) gets a batch of its own. Used by one drainer at a time.
 */
final class WriteBatch {

	/**
	 * The largest scratch array (as large as the default batch): batches expected to fit use
	 * one. One per writing thread at most.
	 */
	static final int SCRATCH_BYTES = 64 * 1024;

	/** The smallest scratch array, so that one grows a few times at most. */
	private static final int MIN_SCRATCH_BYTES = 512;

	/** The most creation times kept for the next batch (8 KB); a larger array serves one batch. */
	private static final int MAX_KEPT_TIMES = 1024;

	/** Each writing thread's batch while it is not in use. */
	private static final ThreadLocal<WriteBatch[]> FREE = ThreadLocal.withInitial(() -> new WriteBatch[1]);

	private int maxBytes;

	private int expectedBytes;

	private @Nullable SseFrame single;

	private byte @Nullable [] buffer;

	/** Whether {@link #buffer} is {@link #scratchArray}. */
	private boolean scratch;

	/** This batch's scratch array, while no transport holds it. */
	private byte @Nullable [] scratchArray;

	private int bytes;

	/** Whether creation times of live events are kept (latencies are recorded). */
	private boolean timed;

	/** Creation times of the live events, when {@link #timed}. */
	private long[] createdNanos = new long[0];

	private int created;

	/** Live events in the batch. */
	int live;

	/** Events from the history for a client that resumed ({@code Last-Event-ID}). */
	int replayed;

	/** Events from the history for a stream that fell behind. */
	int caughtUp;

	private WriteBatch() {
	}

	/**
	 * This thread's batch, empty, for one write; give it back with {@link #release()}.
	 * @param maxBytes the most bytes the batch takes (it may end one frame beyond)
	 * @param queuedBytes bytes queued when it starts, to size its array
	 * @param recordLatencies whether to keep the live events' creation times
	 * @param queuedFrames frames queued when it starts, to size the creation times
	 * @return the batch
	 */
	static WriteBatch take(int maxBytes, long queuedBytes, boolean recordLatencies, int queuedFrames) {
		WriteBatch[] free = FREE.get();
		WriteBatch batch = free[0];
		if (batch != null) {
			free[0] = null;
		}
		else {
			batch = new WriteBatch();
		}
		batch.maxBytes = maxBytes;
		batch.expectedBytes = (int) Math.min(queuedBytes, maxBytes);
		batch.timed = recordLatencies;
		if (recordLatencies && batch.createdNanos.length < queuedFrames) {
			batch.createdNanos = new long[Math.max(16, queuedFrames)];
		}
		return batch;
	}

	/** Done with the batch: it drops the frames it held and serves this thread's next write. */
	void release() {
		this.single = null;
		this.buffer = null;
		this.scratch = false;
		this.bytes = 0;
		this.created = 0;
		this.live = 0;
		this.replayed = 0;
		this.caughtUp = 0;
		if (this.createdNanos.length > MAX_KEPT_TIMES) {
			this.createdNanos = new long[0];
		}
		FREE.get()[0] = this;
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
				this.buffer = Arrays.copyOf(this.buffer, Math.max(this.bytes + size, this.buffer.length * 2));
				this.scratch = false; // copied out: the scratch array is free again
			}
			System.arraycopy(frame.bytes(), 0, this.buffer, this.bytes, size);
		}
		this.bytes += size;
	}

	void addLive(SseFrame frame) {
		add(frame);
		if (frame.isEvent()) {
			this.live++;
			if (this.timed) {
				if (this.created == this.createdNanos.length) {
					this.createdNanos = Arrays.copyOf(this.createdNanos, Math.max(16, this.created * 2));
				}
				this.createdNanos[this.created++] = frame.createdNanos();
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
		for (int i = 0; i < this.created; i++) {
			recorder.accept(flushedNanos - this.createdNanos[i]);
		}
	}

	boolean isFull() {
		return this.bytes >= this.maxBytes;
	}

	boolean isEmpty() {
		return this.bytes == 0 && this.single == null;
	}

	/** The scratch array when the batch is expected to fit in one, else a new array. */
	private byte[] firstBuffer(int size) {
		if (size > SCRATCH_BYTES) {
			return new byte[size];
		}
		byte[] mine = this.scratchArray;
		if (mine == null || mine.length < size) {
			int length = Math.max(MIN_SCRATCH_BYTES, Integer.highestOneBit(Math.max(1, size - 1)) << 1);
			mine = new byte[Math.min(length, SCRATCH_BYTES)];
			this.scratchArray = mine;
		}
		this.scratch = true;
		return mine;
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
		if (this.scratch) {
			this.scratchArray = null; // unless the transport is done with it when the write returns
		}
		if (transport.writeReusable(gathered, this.bytes) && this.scratch) {
			this.scratchArray = gathered;
		}
	}

}
