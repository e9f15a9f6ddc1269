package io.github.ssestarter.encode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import io.github.ssestarter.SseEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DefaultSseEventEncoderTest {

	private final DefaultSseEventEncoder encoder = new DefaultSseEventEncoder(JsonMapper.builder().build());

	private String encode(SseEvent event) {
		return new String(this.encoder.encode(event).body(), StandardCharsets.UTF_8);
	}

	@Test
	void namedTextEvent() {
		assertThat(encode(SseEvent.of("greeting", "hello"))).isEqualTo("event: greeting\ndata: hello\n\n");
	}

	@Test
	void unnamedEventHasNoEventLine() {
		assertThat(encode(SseEvent.ofData("hello"))).isEqualTo("data: hello\n\n");
	}

	@Test
	void retryIsWrittenInMilliseconds() {
		SseEvent event = SseEvent.builder().name("n").retry(Duration.ofSeconds(5)).data("x").build();
		assertThat(encode(event)).isEqualTo("event: n\nretry: 5000\ndata: x\n\n");
	}

	@Test
	void unicodeIsUtf8() {
		byte[] body = this.encoder.encode(SseEvent.ofData("héllo ✓ 日本 😀")).body();
		assertThat(body).isEqualTo("data: héllo ✓ 日本 😀\n\n".getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void everyLineBreakStartsANewDataLine() {
		assertThat(encode(SseEvent.ofData("a\nb"))).isEqualTo("data: a\ndata: b\n\n");
		assertThat(encode(SseEvent.ofData("a\rb"))).isEqualTo("data: a\ndata: b\n\n");
		assertThat(encode(SseEvent.ofData("a\r\nb"))).isEqualTo("data: a\ndata: b\n\n");
		assertThat(encode(SseEvent.ofData("a\r\rb\n\nc\r\n\r\nd"))).isEqualTo(
				"data: a\ndata: \ndata: b\ndata: \ndata: c\ndata: \ndata: d\n\n");
	}

	@Test
	void leadingAndTrailingBreaksSurvive() {
		assertThat(encode(SseEvent.ofData("\nx\n"))).isEqualTo("data: \ndata: x\ndata: \n\n");
		assertThat(encode(SseEvent.ofData("x\r"))).isEqualTo("data: x\ndata: \n\n");
	}

	@Test
	void leadingSpacesSurviveBecauseExactlyOneSpaceFollowsTheColon() {
		assertThat(encode(SseEvent.ofData("  two spaces\n one"))).isEqualTo("data:   two spaces\ndata:  one\n\n");
	}

	@Test
	void emptyAndNullDataAreAnEmptyDataLine() {
		assertThat(encode(SseEvent.ofData(""))).isEqualTo("data: \n\n");
		assertThat(encode(SseEvent.ofData(null))).isEqualTo("data: \n\n");
	}

	@Test
	void objectsAreJson() {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("message", "line1\nline2");
		data.put("n", 42);
		data.put("list", List.of(1, 2));
		assertThat(encode(SseEvent.of("x", data)))
			.isEqualTo("event: x\ndata: {\"message\":\"line1\\nline2\",\"n\":42,\"list\":[1,2]}\n\n");
	}

	@Test
	void prettyPrintedJsonIsSplitIntoDataLines() {
		DefaultSseEventEncoder pretty = new DefaultSseEventEncoder(
				JsonMapper.builder().enable(tools.jackson.databind.SerializationFeature.INDENT_OUTPUT).build());
		String text = new String(pretty.encode(SseEvent.ofData(Map.of("a", 1))).body(), StandardCharsets.UTF_8);
		assertThat(text).doesNotContain("\r").endsWith("\n\n");
		assertThat(text.split("\n")).filteredOn((line) -> !line.isEmpty()).allMatch((line) -> line.startsWith("data: "));
	}

	@Test
	void oneMegabytePayloadIsEncodedExactly() {
		StringBuilder payload = new StringBuilder();
		while (payload.length() < 1024 * 1024) {
			payload.append("0123456789abcdef");
		}
		byte[] body = this.encoder.encode(SseEvent.ofData(payload.toString())).body();
		assertThat(body).hasSize("data: ".length() + payload.length() + 2);
		assertThat(new String(body, StandardCharsets.US_ASCII)).isEqualTo("data: " + payload + "\n\n");
	}

	@Test
	void crLfAndNulInNameAreRejectedWhenTheEventIsBuilt() {
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.of("a\nevent: injected", "x"))
			.withMessageContaining("LF");
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.of("a\rb", "x")).withMessageContaining("CR");
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.of("a\0b", "x")).withMessageContaining("NUL");
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.of("", "x"));
	}

	@Test
	void dataCannotInjectFieldsOrEvents() {
		String attack = "ok\r\n\r\nid: 999\r\nevent: admin\rdata: pwned\n\nretry: 1";
		String text = encode(SseEvent.of("safe", attack));
		// Every line of the block is a data line except the event line: no blank line, id or event escapes.
		List<String> lines = List.of(text.substring(0, text.length() - 2).split("\n", -1));
		assertThat(lines.get(0)).isEqualTo("event: safe");
		assertThat(lines.subList(1, lines.size())).allMatch((line) -> line.startsWith("data: "));
		assertThat(text).endsWith("\n\n").doesNotContain("\r");
	}

	@Test
	void idsWithCrLfOrNulAreRejected() {
		EncodedEvent encoded = this.encoder.encode(SseEvent.ofData("x"));
		assertThat(encoded.withId("abc-1").toString()).isEqualTo("id: abc-1\ndata: x\n\n");
		assertThatIllegalArgumentException().isThrownBy(() -> encoded.withId("1\nevent: x"));
		assertThatIllegalArgumentException().isThrownBy(() -> encoded.withId("1\r"));
		assertThatIllegalArgumentException().isThrownBy(() -> encoded.withId("1\0"));
	}

	@Test
	void commentsCannotCarryLineBreaks() {
		assertThat(SseFrames.comment("hi").toString()).isEqualTo(": hi\n\n");
		assertThatIllegalArgumentException().isThrownBy(() -> SseFrames.comment("x\ndata: y"));
	}

	@Test
	void negativeRetryIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.builder().retry(Duration.ofMillis(-1)));
	}

}
