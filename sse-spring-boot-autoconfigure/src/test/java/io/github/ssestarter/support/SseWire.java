package io.github.ssestarter.support;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A strict parser of the bytes the server writes (LF line ends only, as the server
 * promises), for byte-level assertions in tests: every block, including comments and
 * retry-only blocks, is kept.
 */
public final class SseWire {

	private SseWire() {
	}

	/**
	 * One block between blank lines.
	 *
	 * @param id the id field, or null
	 * @param event the event field, or null
	 * @param data the data lines joined with LF, or null when there is no data line
	 * @param retry the retry field, or null
	 * @param comments comment lines without the leading colon
	 */
	public record Block(@Nullable String id, @Nullable String event, @Nullable String data, @Nullable String retry,
			List<String> comments) {

		public boolean isEvent() {
			return this.data != null;
		}

	}

	public static List<Block> parse(String text) {
		if (text.indexOf('\r') >= 0) {
			throw new AssertionError("The stream contains a CR");
		}
		List<Block> blocks = new ArrayList<>();
		int start = 0;
		int end;
		while ((end = text.indexOf("\n\n", start)) >= 0) {
			blocks.add(block(text.substring(start, end)));
			start = end + 2;
		}
		if (start != text.length()) {
			throw new AssertionError("Unterminated block at the end: " + text.substring(start));
		}
		return blocks;
	}

	private static Block block(String text) {
		String id = null;
		String event = null;
		String retry = null;
		StringBuilder data = null;
		List<String> comments = new ArrayList<>();
		for (String line : text.split("\n", -1)) {
			if (line.startsWith(":")) {
				comments.add(line.substring(1).trim());
				continue;
			}
			int colon = line.indexOf(':');
			String field = (colon < 0) ? line : line.substring(0, colon);
			String value = (colon < 0) ? "" : line.substring(colon + 1);
			if (value.startsWith(" ")) {
				value = value.substring(1);
			}
			switch (field) {
				case "id" -> id = value;
				case "event" -> event = value;
				case "retry" -> retry = value;
				case "data" -> data = (data == null) ? new StringBuilder(value) : data.append('\n').append(value);
				default -> throw new AssertionError("Unexpected field '" + field + "' in block: " + text);
			}
		}
		return new Block(id, event, (data != null) ? data.toString() : null, retry, comments);
	}

}
