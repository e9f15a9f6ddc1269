package io.github.ssestarter.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.jspecify.annotations.Nullable;

import io.github.ssestarter.encode.SseFrame;

/**
 * The frames of one stream's queue, in order: a chain of arrays that producers append to
 * and one consumer takes from.
 * <p>
 * Why not a {@code ConcurrentLinkedQueue}: a node per frame per stream, allocated while
 * the publisher walks a thousand streams, puts each stream's next frame on its own cache
 * line, and taking it costs a CAS; profiling the load harness found a fifth of the
 * server's CPU in that poll. Here a stream's frames sit next to each other in an array
 * (one allocation per chunk of frames, the chunk sized to what is queued: small for an
 * idle stream, up to {@value #MAX_CHUNK} under load), and the consumer takes them with
 * plain reads.
 * <p>
 * Producers are serialised by this object's monitor (in practice one producer at a time:
 * the dispatcher under its lock, and now and then a heartbeat). Each offer ends with a
 * volatile write of the count of frames offered, so a consumer that goes idle and then
 * looks again ({@link #isEmpty()}, see {@link SseConnection}) never misses a frame whose
 * producer saw it busy. One consumer at a time takes frames: the stream's drainer, or a
 * caller serialised with it by the queue's lock; {@link #isEmpty()} may be asked by any
 * thread.
 * The last slot of each chunk links to the next chunk; the consumer clears every slot of a
 * chunk it leaves, the link included, so a chunk that has aged into the old generation
 * keeps none of its successors alive.
 */
final class FrameRing {

	private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

	static final int MIN_CHUNK = 8;

	static final int MAX_CHUNK = 512;

	/** Guarded by {@code this}. */
	private Object[] tail;

	/** Guarded by {@code this}. */
	private int tailIndex;

	/** Consumer only. */
	private Object[] head;

	/** Consumer only. */
	private int headIndex;

	/** Frames offered; written under {@code this}, read by anyone. */
	private volatile long offered;

	/** Frames taken; written by the consumer (release), read by anyone. */
	private long taken;

	private static final VarHandle TAKEN;

	static {
		try {
			TAKEN = MethodHandles.lookup().findVarHandle(FrameRing.class, "taken", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	FrameRing() {
		this.head = new Object[MIN_CHUNK + 1];
		this.tail = this.head;
	}

	/**
	 * Append a frame.
	 * @param frame the frame
	 * @param queued how many frames are queued (sizes a new chunk)
	 */
	synchronized void offer(SseFrame frame, int queued) {
		Object[] chunk = this.tail;
		int index = this.tailIndex;
		int link = chunk.length - 1;
		if (index == link) {
			Object[] next = new Object[chunkSize(queued) + 1];
			next[0] = frame; // published by the release store of the link
			SLOT.setRelease(chunk, link, next);
			this.tail = next;
			this.tailIndex = 1;
		}
		else {
			SLOT.setRelease(chunk, index, frame);
			this.tailIndex = index + 1;
		}
		this.offered = this.offered + 1; // volatile: see isEmpty()
	}

	private static int chunkSize(int queued) {
		int size = MIN_CHUNK;
		while (size < queued && size < MAX_CHUNK) {
			size <<= 1;
		}
		return size;
	}

	/**
	 * Take the oldest frame (consumer only).
	 * @return the frame, or {@code null} if none is queued
	 */
	@Nullable SseFrame poll() {
		Object[] chunk = this.head;
		int index = this.headIndex;
		if (index == chunk.length - 1) {
			Object next = SLOT.getAcquire(chunk, index);
			if (next == null) {
				return null;
			}
			// Unlinked once left: a chunk promoted to the old generation and then dropped would
			// otherwise keep its successor alive through young collections, and so the whole chain.
			chunk[index] = null;
			chunk = (Object[]) next;
			this.head = chunk;
			index = 0;
		}
		Object frame = SLOT.getAcquire(chunk, index);
		if (frame == null) {
			this.headIndex = index;
			return null;
		}
		chunk[index] = null; // no producer writes this slot again; the chain keeps no frame it has passed
		this.headIndex = index + 1;
		TAKEN.setRelease(this, this.taken + 1);
		return (SseFrame) frame;
	}

	/**
	 * Whether nothing is queued. Safe from any thread: a drainer that has just gone idle
	 * asks while the next drainer may already be taking frames. After a producer's
	 * {@link #offer} (whose count is a volatile write) a thread that wrote a volatile
	 * (the drain status) and then asks sees that frame; a stale count of frames taken only
	 * makes the answer {@code false} (one more look at the queue).
	 * @return {@code true} if every frame offered has been taken
	 */
	boolean isEmpty() {
		return (long) TAKEN.getAcquire(this) == this.offered;
	}

}
