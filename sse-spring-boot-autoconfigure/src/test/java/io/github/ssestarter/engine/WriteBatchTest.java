package io.github.ssestarter.engine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.ssestarter.encode.SseFrame;

import static org.assertj.core.api.Assertions.assertThat;

/** How a batch's bytes reach the transport, and when its array is used again. */
class WriteBatchTest {

	/** Records each write's array and what it held then; tells the batch whether it keeps the array. */
	private static final class ArrayTransport implements SseTransport {

		final boolean keeps;

		final List<byte[]> arrays = new ArrayList<>();

		final ByteArrayOutputStream received = new ByteArrayOutputStream();

		ArrayTransport(boolean keeps) {
			this.keeps = keeps;
		}

		@Override
		public void write(byte[] bytes) {
			writeReusable(bytes, bytes.length);
		}

		@Override
		public boolean writeReusable(byte[] bytes, int length) {
			this.arrays.add(bytes);
			this.received.write(bytes, 0, length);
			return !this.keeps;
		}

		@Override
		public void complete() {
		}

	}

	/** Only the one-argument write, as a transport written before 0.3.0. */
	private static final class PlainTransport implements SseTransport {

		final List<byte[]> writes = new ArrayList<>();

		@Override
		public void write(byte[] bytes) {
			this.writes.add(bytes);
		}

		@Override
		public void complete() {
		}

	}

	private static SseFrame frame(String data) {
		return SseFrame.event(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8), 0);
	}

	private static WriteBatch batch(String... data) {
		WriteBatch batch = new WriteBatch(64 * 1024, 100, false, data.length);
		for (String one : data) {
			batch.addLive(frame(one));
		}
		return batch;
	}

	@Test
	void aTransportDoneWithTheArrayGetsTheSameArrayForTheNextBatch() throws Exception {
		ArrayTransport transport = new ArrayTransport(false);
		batch("a", "b").writeTo(transport);
		batch("c", "d").writeTo(transport);
		assertThat(transport.arrays).hasSize(2);
		assertThat(transport.arrays.get(1)).isSameAs(transport.arrays.get(0));
		assertThat(transport.received.toString(StandardCharsets.UTF_8))
			.isEqualTo("data: a\n\ndata: b\n\ndata: c\n\ndata: d\n\n");
	}

	@Test
	void anArrayTheTransportKeepsIsNeverFilledAgain() throws Exception {
		ArrayTransport transport = new ArrayTransport(true);
		batch("a", "b").writeTo(transport);
		byte[] kept = transport.arrays.get(0);
		byte[] before = kept.clone();
		batch("c", "d").writeTo(transport);
		batch("e", "f").writeTo(transport);
		assertThat(transport.arrays.get(1)).isNotSameAs(kept);
		assertThat(transport.arrays.get(2)).isNotSameAs(kept).isNotSameAs(transport.arrays.get(1));
		assertThat(kept).as("what the transport kept is as it was written").isEqualTo(before);
	}

	@Test
	void aTransportWithOnlyThePlainWriteGetsExactCopiesItMayKeep() throws Exception {
		PlainTransport transport = new PlainTransport();
		batch("a", "b").writeTo(transport);
		batch("c", "d").writeTo(transport);
		assertThat(transport.writes).extracting((bytes) -> new String(bytes, StandardCharsets.UTF_8))
			.containsExactly("data: a\n\ndata: b\n\n", "data: c\n\ndata: d\n\n");
	}

	@Test
	void aSingleFrameIsWrittenAsItIsAndABatchLargerThanTheScratchArrayInAnArrayOfItsOwn() throws Exception {
		ArrayTransport transport = new ArrayTransport(false);
		SseFrame single = frame("alone");
		WriteBatch one = new WriteBatch(64 * 1024, single.size(), false, 1);
		one.addLive(single);
		one.writeTo(transport);
		assertThat(transport.arrays.get(0)).isSameAs(single.bytes());
		String large = "x".repeat(WriteBatch.SCRATCH_BYTES);
		batch(large, large).writeTo(transport);
		batch("c", "d").writeTo(transport);
		assertThat(transport.arrays.get(1)).hasSizeGreaterThan(WriteBatch.SCRATCH_BYTES);
		assertThat(transport.arrays.get(2)).hasSizeLessThanOrEqualTo(WriteBatch.SCRATCH_BYTES);
		assertThat(transport.received.toString(StandardCharsets.UTF_8))
			.isEqualTo("data: alone\n\ndata: " + large + "\n\ndata: " + large + "\n\ndata: c\n\ndata: d\n\n");
	}

	@Test
	void aBatchThatOutgrowsTheScratchArrayGivesItBackCopiedOut() throws Exception {
		ArrayTransport transport = new ArrayTransport(false);
		batch("a", "b").writeTo(transport);
		byte[] scratch = transport.arrays.get(0);
		String more = "y".repeat(scratch.length);
		batch("c", "d", more).writeTo(transport); // queued 100 bytes when it began, more by the time it was filled
		batch("e", "f").writeTo(transport);
		assertThat(transport.arrays.get(1)).isNotSameAs(scratch);
		assertThat(transport.arrays.get(2)).isSameAs(scratch);
		assertThat(transport.received.toString(StandardCharsets.UTF_8)).isEqualTo(
				"data: a\n\ndata: b\n\ndata: c\n\ndata: d\n\ndata: " + more + "\n\ndata: e\n\ndata: f\n\n");
	}

}
