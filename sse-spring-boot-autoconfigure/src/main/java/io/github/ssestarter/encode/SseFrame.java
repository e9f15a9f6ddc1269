package io.github.ssestarter.encode;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * Bytes ready to be written to every client's stream as they are: one complete SSE block
 * (or several), UTF-8, LF line ends, ending with a blank line. Encoded once and shared by
 * every recipient, so the bytes are never modified after construction.
 *
 * @since 0.1.0
 */
public final class SseFrame {

	private final byte[] bytes;

	private final boolean event;

	private final @Nullable String id;

	private final long createdNanos;

	private SseFrame(byte[] bytes, boolean event, @Nullable String id, long createdNanos) {
		this.bytes = bytes;
		this.event = event;
		this.id = id;
		this.createdNanos = createdNanos;
	}

	/**
	 * A frame carrying a published event: it counts as delivered or dropped.
	 * @param bytes the encoded block, its id line included, not modified afterwards
	 * @param id the event's id (the position a stream has reached once it has this event)
	 * @param createdNanos {@link System#nanoTime()} when the event was published on this node
	 * @return the frame
	 * @since 0.2.0
	 */
	public static SseFrame event(byte[] bytes, String id, long createdNanos) {
		return new SseFrame(bytes, true, id, createdNanos);
	}

	/**
	 * A frame carrying an event without a known id (tests and custom transports): it
	 * counts as delivered or dropped, but a stream cannot catch up past it.
	 * @param bytes the encoded block, not modified afterwards
	 * @param createdNanos {@link System#nanoTime()} when the event was published on this node
	 * @return the frame
	 */
	public static SseFrame event(byte[] bytes, long createdNanos) {
		return new SseFrame(bytes, true, null, createdNanos);
	}

	/**
	 * A protocol frame (comment, heartbeat, retry hint, connection notice) that is not
	 * counted as an event.
	 * @param bytes the encoded block, not modified afterwards
	 * @return the frame
	 */
	public static SseFrame control(byte[] bytes) {
		return new SseFrame(bytes, false, null, System.nanoTime());
	}

	/**
	 * The id of the event this frame carries.
	 * @return the id, or {@code null} for protocol frames and events without a known id
	 * @since 0.2.0
	 */
	public @Nullable String id() {
		return this.id;
	}

	/**
	 * The encoded bytes; callers must not modify them.
	 * @return the bytes
	 */
	public byte[] bytes() {
		return this.bytes;
	}

	/**
	 * The frame's length in bytes.
	 * @return the size
	 */
	public int size() {
		return this.bytes.length;
	}

	/**
	 * Whether the frame carries a published event (rather than protocol traffic).
	 * @return {@code true} for events
	 */
	public boolean isEvent() {
		return this.event;
	}

	/**
	 * {@link System#nanoTime()} when the frame was created on this node.
	 * @return the creation time
	 */
	public long createdNanos() {
		return this.createdNanos;
	}

	@Override
	public String toString() {
		return new String(this.bytes, StandardCharsets.UTF_8);
	}

}
