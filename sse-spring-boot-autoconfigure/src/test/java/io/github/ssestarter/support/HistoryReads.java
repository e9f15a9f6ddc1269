package io.github.ssestarter.support;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.github.ssestarter.store.HistoryPage;
import io.github.ssestarter.store.SseEventStore;
import io.github.ssestarter.store.StoredEvent;

/** Reads a whole range of a history the way a stream does: page after page. */
public final class HistoryReads {

	private HistoryReads() {
	}

	/** The whole range, page after page (each page must move on), or the first reset. */
	public static HistoryPage readAll(SseEventStore store, String afterId, String upToId,
			Predicate<StoredEvent> filter) {
		List<StoredEvent> events = new ArrayList<>();
		String after = afterId;
		for (;;) {
			HistoryPage page = store.read(after, upToId, filter, 100_000, Long.MAX_VALUE);
			if (page.reset() != null) {
				return page;
			}
			events.addAll(page.events());
			if (page.complete()) {
				return HistoryPage.of(events, page.next(), true);
			}
			if (page.next().equals(after)) {
				throw new AssertionError("A page that is not complete did not move on from " + after);
			}
			after = page.next();
		}
	}

	public static List<String> ids(HistoryPage page) {
		return page.events().stream().map(StoredEvent::id).toList();
	}

}
