package io.github.ssestarter.encode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import io.github.ssestarter.SseEvent;

/**
 * The default {@link SseEventEncoder}: text data is sent as is, any other data as JSON
 * through the application's {@link JsonMapper}.
 * <p>
 * Data is encoded to UTF-8 once, then split on CR, LF and CRLF into {@code data:} lines in
 * a single exact-size array. Splitting on the bytes is safe because UTF-8 never uses
 * {@code 0x0D} or {@code 0x0A} inside a multi-byte character. Every field is written with
 * one space after the colon, which the client strips, so values that start with a space
 * survive intact.
 *
 * @since 0.1.0
 */
public final class DefaultSseEventEncoder implements SseEventEncoder {

	private static final byte[] EVENT_FIELD = ascii("event: ");

	private static final byte[] RETRY_FIELD = ascii("retry: ");

	private static final byte[] DATA_FIELD = ascii("data: ");

	private static final byte[] NO_DATA = new byte[0];

	private final JsonMapper jsonMapper;

	/**
	 * Create an encoder.
	 * @param jsonMapper serializes data that is not text
	 */
	public DefaultSseEventEncoder(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	@Override
	public EncodedEvent encode(SseEvent event) {
		return new EncodedEvent(encodeFields(event.name(), event.retry(), dataBytes(event.data())));
	}

	private byte[] dataBytes(@Nullable Object data) {
		if (data == null) {
			return NO_DATA;
		}
		if (data instanceof CharSequence text) {
			return text.toString().getBytes(StandardCharsets.UTF_8);
		}
		try {
			return this.jsonMapper.writeValueAsBytes(data);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("Cannot serialize SSE data of type " + data.getClass().getName()
					+ " to JSON: " + ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * Encode the {@code event:}, {@code retry:} and {@code data:} lines and the closing blank line.
	 * @param name the event name (already checked for CR, LF and NUL), or {@code null}
	 * @param retry the reconnection delay, or {@code null}
	 * @param data the data in UTF-8; line breaks in it become separate {@code data:} lines
	 * @return the encoded block
	 */
	static byte[] encodeFields(@Nullable String name, @Nullable Duration retry, byte[] data) {
		byte[] nameBytes = (name != null) ? name.getBytes(StandardCharsets.UTF_8) : null;
		byte[] retryBytes = (retry != null) ? ascii(Long.toString(retry.toMillis())) : null;
		int lines = 1;
		int separatorBytes = 0;
		for (int i = 0; i < data.length; i++) {
			byte b = data[i];
			if (b == '\r') {
				lines++;
				if (i + 1 < data.length && data[i + 1] == '\n') {
					i++;
					separatorBytes += 2;
				}
				else {
					separatorBytes++;
				}
			}
			else if (b == '\n') {
				lines++;
				separatorBytes++;
			}
		}
		int size = lines * (DATA_FIELD.length + 1) + data.length - separatorBytes + 1;
		if (nameBytes != null) {
			size += EVENT_FIELD.length + nameBytes.length + 1;
		}
		if (retryBytes != null) {
			size += RETRY_FIELD.length + retryBytes.length + 1;
		}
		byte[] out = new byte[size];
		int pos = 0;
		if (nameBytes != null) {
			pos = putLine(out, pos, EVENT_FIELD, nameBytes, 0, nameBytes.length);
		}
		if (retryBytes != null) {
			pos = putLine(out, pos, RETRY_FIELD, retryBytes, 0, retryBytes.length);
		}
		int lineStart = 0;
		for (int i = 0; i < data.length; i++) {
			byte b = data[i];
			if (b == '\r' || b == '\n') {
				pos = putLine(out, pos, DATA_FIELD, data, lineStart, i - lineStart);
				if (b == '\r' && i + 1 < data.length && data[i + 1] == '\n') {
					i++;
				}
				lineStart = i + 1;
			}
		}
		pos = putLine(out, pos, DATA_FIELD, data, lineStart, data.length - lineStart);
		out[pos] = '\n';
		return out;
	}

	private static int putLine(byte[] out, int pos, byte[] field, byte[] value, int offset, int length) {
		System.arraycopy(field, 0, out, pos, field.length);
		pos += field.length;
		System.arraycopy(value, offset, out, pos, length);
		pos += length;
		out[pos++] = '\n';
		return pos;
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
