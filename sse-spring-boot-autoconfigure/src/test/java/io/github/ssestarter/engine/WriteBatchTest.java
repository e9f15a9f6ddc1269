package io.github.ssestarter.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.ssestarter.encode.SseFrame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** How a batch's bytes reach the transport, and when its array is used again. */
class WriteBatchTest {

	/** Records each write's array and what it held then; tells the batch whether it keeps the array. */
	private static class ArrayTransport implements SseTransport {

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

	/** Gathers the frames in this thread's batch, writes them, and gives the batch back. */
	private static void write(SseTransport transport, String... data) throws IOException {
		WriteBatch batch = WriteBatch.take(64 * 1024, 100, false, data.length);
		try {
			for (String one : data) {
				batch.addLive(frame(one));
			}
			batch.writeTo(transport);
		}
		finally {
			batch.release();
		}
	}

	@Test
	void aTransportDoneWithTheArrayGetsTheSameArrayForTheNextBatch() throws Exception {
		ArrayTransport transport = new ArrayTransport(false);
		write(transport, "a", "b");
		write(transport, "c", "d");
		assertThat(transport.arrays).hasSize(2);
		assertThat(transport.arrays.get(1)).isSameAs(transport.arrays.get(0));
		assertThat(transport.received.toString(StandardCharsets.UTF_8))
			.isEqualTo("data: a\n\ndata: b\n\ndata: c\n\ndata: d\n\n");
	}

	@Test
	void anArrayTheTransportKeepsIsNeverFilledAgain() throws Exception {
		ArrayTransport transport = new ArrayTransport(true);
		write(transport, "a", "b");
		byte[] kept = transport.arrays.get(0);
		byte[] before = kept.clone();
		write(transport, "c", "d");
		write(transport, "e", "f");
		assertThat(transport.arrays.get(1)).isNotSameAs(kept);
		assertThat(transport.arrays.get(2)).isNotSameAs(kept).isNotSameAs(transport.arrays.get(1));
		assertThat(kept).as("what the transport kept is as it was written").isEqualTo(before);
	}

	@Test
	void aTransportWithOnlyThePlainWriteGetsExactCopiesItMayKeep() throws Exception {
		PlainTransport transport = new PlainTransport();
		write(transport, "a", "b");
		write(transport, "c", "d");
		assertThat(transport.writes).extracting((bytes) -> new String(bytes, StandardCharsets.UTF_8))
			.containsExactly("data: a\n\ndata: b\n\n", "data: c\n\ndata: d\n\n");
	}

	@Test
	void aSingleFrameIsWrittenAsItIsAndABatchLargerThanTheScratchArrayInAnArrayOfItsOwn() throws Exception {
		ArrayTransport transport = new ArrayTransport(false);
		SseFrame single = frame("alone");
		WriteBatch one = WriteBatch.take(64 * 1024, single.size(), false, 1);
		one.addLive(single);
		one.writeTo(transport);
		one.release();
		assertThat(transport.arrays.get(0)).isSameAs(single.bytes());
		String large = "x".repeat(WriteBatch.SCRATCH_BYTES);
		write(transport, large, large);
		write(transport, "c", "d");
		assertThat(transport.arrays.get(1)).hasSizeGreaterThan(WriteBatch.SCRATCH_BYTES);
		assertThat(transport.arrays.get(2)).hasSizeLessThanOrEqualTo(WriteBatch.SCRATCH_BYTES);
		assertThat(transport.received.toString(StandardCharsets.UTF_8))
			.isEqualTo("data: alone\n\ndata: " + large + "\n\ndata: " + large + "\n\ndata: c\n\ndata: d\n\n");
	}

	@Test
	void aBatchThatOutgrowsTheScratchArrayGivesItBackCopiedOut() throws Exception {
		ArrayTransport transport = new ArrayTransport(false);
		write(transport, "a", "b");
		byte[] scratch = transport.arrays.get(0);
		String more = "y".repeat(scratch.length);
		write(transport, "c", "d", more); // queued 100 bytes when it began, more by the time it was filled
		write(transport, "e", "f");
		assertThat(transport.arrays.get(1)).isNotSameAs(scratch);
		assertThat(transport.arrays.get(2)).isSameAs(scratch);
		assertThat(transport.received.toString(StandardCharsets.UTF_8)).isEqualTo(
				"data: a\n\ndata: b\n\ndata: c\n\ndata: d\n\ndata: " + more + "\n\ndata: e\n\ndata: f\n\n");
	}

	@Test
	void anArrayWhoseWriteFailedIsNeverFilledAgain() throws Exception {
		ArrayTransport transport = new ArrayTransport(false);
		write(transport, "a", "b");
		byte[] scratch = transport.arrays.get(0);
		SseTransport failing = new ArrayTransport(false) {
			@Override
			public boolean writeReusable(byte[] bytes, int length) {
				super.writeReusable(bytes, length);
				throw new IllegalStateException("the client is gone");
			}
		};
		assertThatIllegalStateException().isThrownBy(() -> write(failing, "c", "d"));
		write(transport, "e", "f");
		assertThat(transport.arrays.get(1)).isNotSameAs(scratch);
	}

	@Test
	void eachBatchTimesOnlyItsOwnLiveEventsAndAWriteInsideAWriteGetsItsOwnBatch() {
		WriteBatch outer = WriteBatch.take(64 * 1024, 100, true, 1);
		outer.addLive(SseFrame.event("data: a\n\n".getBytes(StandardCharsets.UTF_8), 100));
		outer.addLive(SseFrame.event("data: b\n\n".getBytes(StandardCharsets.UTF_8), 200));
		WriteBatch inner = WriteBatch.take(64 * 1024, 100, true, 1);
		assertThat(inner).isNotSameAs(outer);
		inner.addLive(SseFrame.event("data: c\n\n".getBytes(StandardCharsets.UTF_8), 300));
		List<Long> latencies = new ArrayList<>();
		inner.recordLatencies(1000, latencies::add);
		inner.release();
		outer.recordLatencies(1000, latencies::add);
		outer.release();
		assertThat(latencies).containsExactly(700L, 900L, 800L);
		WriteBatch next = WriteBatch.take(64 * 1024, 100, true, 1);
		next.addLive(SseFrame.event("data: d\n\n".getBytes(StandardCharsets.UTF_8), 400));
		latencies.clear();
		next.recordLatencies(1000, latencies::add);
		next.release();
		assertThat(latencies).containsExactly(600L);
	}

}
