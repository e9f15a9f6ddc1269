package io.github.ssestarter.test;

import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTML standard's event stream interpretation, case by case. */
class SseEventParserTest {

	private final List<SseReceivedEvent> events = new ArrayList<>();

	private final List<String> comments = new ArrayList<>();

	private final SseEventParser parser = new SseEventParser(this.events::add, this.comments::add);

	private void feed(String... lines) {
		for (String line : lines) {
			this.parser.line(line);
		}
	}

	@Test
	void fieldsMakeAnEventOnAnEmptyLine() {
		feed("event: greeting", "id: 7", "data: hello", "data:  world", "");
		assertThat(this.events).containsExactly(new SseReceivedEvent("7", "greeting", "hello\n world", null));
	}

	@Test
	void theLastEventIdCarriesOverAndAnIdWithNulIsIgnored() {
		feed("id: 1", "data: a", "", "data: b", "", "id: 2\0", "data: c", "", "id", "data: d", "");
		assertThat(this.events).extracting(SseReceivedEvent::id).containsExactly("1", "1", "1", "");
	}

	@Test
	void aBlockWithoutDataIsNotDispatchedButItsRetryIsKept() {
		feed(": heartbeat", "retry: 3000", "", "retry: 12x", "event: ignored", "", "data", "");
		assertThat(this.comments).containsExactly("heartbeat");
		assertThat(this.events).containsExactly(new SseReceivedEvent("", "message", "", null));
		assertThat(this.parser.reconnectionTime()).isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void aRetryInTheEventsBlockIsReportedWithIt() {
		feed("retry: 500", "data: x", "");
		assertThat(this.events).containsExactly(new SseReceivedEvent("", "message", "x", Duration.ofMillis(500)));
	}

	@Test
	void aLeadingByteOrderMarkAndUnknownFieldsAreSkipped() {
		feed("\uFEFFdata: first", "colour: red", "", "data:second", "");
		assertThat(this.events).extracting(SseReceivedEvent::data).containsExactly("first", "second");
	}

	@Test
	void anUnfinishedBlockAtTheEndIsNotAnEvent() {
		feed("data: complete", "", "data: cut off");
		assertThat(this.events).extracting(SseReceivedEvent::data).containsExactly("complete");
	}

	@Test
	void aWholeStreamSplitsOnEveryLineEndAndDropsAnUnterminatedLastLine() throws Exception {
		this.parser.read(new StringReader("data: a\r\n\r\ndata: b\r\rdata: c\n\nretry: 7777"));
		assertThat(this.events).extracting(SseReceivedEvent::data).containsExactly("a", "b", "c");
		assertThat(this.parser.reconnectionTime()).isNull();
	}

	@Test
	void aRetryBeyondAnyDelayIsIgnoredAndParsingGoesOn() {
		feed("retry: 99999999999999999999999", "", "data: after", "");
		assertThat(this.events).extracting(SseReceivedEvent::data).containsExactly("after");
		assertThat(this.parser.reconnectionTime()).isNull();
	}

}
