package io.github.ssestarter.encode;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

import io.github.ssestarter.SseEvent;

/**
 * An event encoded once, before it has an id: its {@code event:}, {@code retry:} and
 * {@code data:} lines and the closing blank line. {@link #withId(String)} prepends the id
 * line the event store assigns.
 *
 * @since 0.1.0
 */
public final class EncodedEvent {

	private static final byte[] ID_FIELD = "id: ".getBytes(StandardCharsets.US_ASCII);

	/** Longest event id accepted, in characters. */
	public static final int MAX_ID_LENGTH = 200;

	private final byte[] body;

	private final long createdNanos;

	/**
	 * Create an encoded event.
	 * @param body the fields after the id and the closing blank line, UTF-8 with LF line ends
	 */
	public EncodedEvent(byte[] body) {
		this.body = body;
		this.createdNanos = System.nanoTime();
	}

	/**
	 * The encoded fields (without the id line) and the closing blank line.
	 * @return the bytes; callers must not modify them
	 */
	public byte[] body() {
		return this.body;
	}

	/**
	 * The encoded length without the id line.
	 * @return the size in bytes
	 */
	public int size() {
		return this.body.length;
	}

	/**
	 * {@link System#nanoTime()} when the event was encoded (its publish time on this node).
	 * @return the time
	 */
	public long createdNanos() {
		return this.createdNanos;
	}

	/**
	 * The complete frame of a published event, its id line first.
	 * @param id the event id; must not contain CR, LF or NUL
	 * @return the frame
	 */
	public SseFrame withId(String id) {
		return SseFrame.event(prependId(id), id, this.createdNanos);
	}

	/**
	 * A protocol frame (such as a connection notice) that is not counted as an event.
	 * @param id the id the client should resume from, or {@code null} for none
	 * @return the frame
	 */
	public SseFrame toControlFrame(@Nullable String id) {
		return SseFrame.control((id != null) ? prependId(id) : this.body);
	}

	private byte[] prependId(String id) {
		SseEvent.requireFieldValue("event id", id, MAX_ID_LENGTH);
		byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
		byte[] frame = new byte[ID_FIELD.length + idBytes.length + 1 + this.body.length];
		System.arraycopy(ID_FIELD, 0, frame, 0, ID_FIELD.length);
		System.arraycopy(idBytes, 0, frame, ID_FIELD.length, idBytes.length);
		frame[ID_FIELD.length + idBytes.length] = '\n';
		System.arraycopy(this.body, 0, frame, ID_FIELD.length + idBytes.length + 1, this.body.length);
		return frame;
	}

}
