package io.github.ssestarter.benchmarks.servers;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * The garbage collector's pauses in this JVM since the last {@link #takeSummary()}: how
 * many, how long in all, the longest. A stop-the-world pause holds every delivery, so at a
 * fixed rate the longest pauses set the upper percentiles of latency; the harness reports
 * them beside the latencies. Counts every collection the JVM's collectors report except
 * the concurrent cycles of a concurrent collector (ZGC, Shenandoah), which do not stop
 * the application.
 */
final class GcPauses {

	private long count;

	private long totalMillis;

	private long longestMillis;

	GcPauses() {
		for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
			if (collector instanceof NotificationEmitter emitter) {
				emitter.addNotificationListener((notification, handback) -> {
					if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
						record(GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()));
					}
				}, null, null);
			}
		}
	}

	private synchronized void record(GarbageCollectionNotificationInfo info) {
		if ("end of GC cycle".equals(info.getGcAction())) {
			return; // a concurrent collector's cycle, not a pause
		}
		long millis = info.getGcInfo().getDuration();
		this.count++;
		this.totalMillis += millis;
		this.longestMillis = Math.max(this.longestMillis, millis);
	}

	/**
	 * The pauses since the last call, and start counting afresh.
	 * @return {@code <count> <totalMillis> <longestMillis>}
	 */
	synchronized String takeSummary() {
		String summary = this.count + " " + this.totalMillis + " " + this.longestMillis;
		this.count = 0;
		this.totalMillis = 0;
		this.longestMillis = 0;
		return summary;
	}

}
