package io.github.ssestarter.benchmarks.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import io.github.ssestarter.benchmarks.load.LoadResults.Run;
import io.github.ssestarter.benchmarks.load.LoadResults.VariantResult;

/** The load harness's results as Markdown and JSON, each figure with its ratio to the starter and the ceiling. */
final class LoadReport {

	/** The headline figures, how to read each from a result, and whether lower is better. */
	enum Figure {

		DELIVERIES_PER_SECOND("full-speed deliveries/s", false,
				(r) -> (r.fanOut() != null) ? r.fanOut().deliveriesPerSecond() : null),
		CPU_MICROS_PER_DELIVERY("server CPU µs per delivery at full speed", true,
				(r) -> (r.fanOut() != null) ? r.fanOut().cpuMicrosPerDelivery() : null),
		P99_MILLIS("p99 ms at the fixed rate", true, (r) -> (r.latency() != null) ? r.latency().p99Millis() : null),
		FIXED_RATE_CPU_MICROS_PER_DELIVERY("server CPU µs per delivery at the fixed rate", true,
				(r) -> (r.latency() != null) ? r.latency().cpuMicrosPerDelivery() : null),
		HEAP_KB_PER_IDLE_CONNECTION("heap KB per idle connection", true,
				(r) -> (r.idle() != null) ? r.idle().heapKbPerConnection() : null);

		final String label;

		final boolean lowerIsBetter;

		final Function<VariantResult, Double> value;

		Figure(String label, boolean lowerIsBetter, Function<VariantResult, Double> value) {
			this.label = label;
			this.lowerIsBetter = lowerIsBetter;
			this.value = value;
		}

		Double of(VariantResult result) {
			return (result == null) ? null : this.value.apply(result);
		}

	}

	private LoadReport() {
	}

	static String markdown(Run run) {
		StringBuilder out = new StringBuilder("# Load: this starter, the alternatives, and the machine's ceiling\n\n");
		out.append("Measured ").append(run.date()).append(" on ").append(run.machine())
			.append("; load client and servers share the machine.\n\n");
		var settings = run.settings();
		out.append(String.format(Locale.ROOT, "%,d clients on one topic, %d-byte events, server heap %s; fixed rate %,d "
				+ "events/s for %d s; %d of the clients stall in the slow-client scenario; %,d idle connections.%s\n\n",
				settings.clients(), settings.dataBytes(), settings.serverHeap(), settings.latencyRate(),
				settings.latencySeconds(), settings.stalledClients(), settings.idleConnections(),
				settings.smoke() ? " **Smoke run: sizes too small to mean anything.**" : ""));
		out.append("Ratios are against this starter (×starter) and the JDK NIO ceiling (×ceiling), measured in the same run.\n\n");
		headline(run, out);
		fanOut(run, out);
		latency(run, out);
		slowClients(run, out);
		slowReaders(run, out);
		idle(run, out);
		targets(run, out);
		out.append("\n## Variants and notes\n\n");
		for (VariantResult result : run.variants()) {
			out.append("- **").append(result.variant()).append("**: ").append(result.description()).append('\n');
			for (String note : result.notes()) {
				out.append("  - ").append(note).append('\n');
			}
		}
		return out.toString();
	}

	private static void headline(Run run, StringBuilder out) {
		out.append("## Headline\n\n| variant |");
		for (Figure figure : Figure.values()) {
			out.append(' ').append(figure.label).append(" |");
		}
		out.append("\n|---|").append("---|".repeat(Figure.values().length)).append('\n');
		VariantResult starter = find(run, LoadHarness.STARTER);
		VariantResult ceiling = find(run, LoadHarness.CEILING);
		for (VariantResult result : run.variants()) {
			out.append("| ").append(result.variant()).append(" |");
			for (Figure figure : Figure.values()) {
				Double value = figure.of(result);
				out.append(' ').append(number(value));
				if (value != null) {
					out.append(" (").append(ratio(value, figure.of(starter))).append(" ×starter, ")
						.append(ratio(value, figure.of(ceiling))).append(" ×ceiling)");
					String caveat = caveat(figure, result);
					if (caveat != null) {
						out.append(" — ").append(caveat);
					}
				}
				out.append(" |");
			}
			out.append('\n');
		}
		out.append('\n');
	}

	/** What the headline figure does not say by itself: a rate not sustained, events lost, connections not served. */
	private static String caveat(Figure figure, VariantResult result) {
		if (figure == Figure.P99_MILLIS && result.latency() != null) {
			var latency = result.latency();
			if (latency.achievedRate() != null && latency.achievedRate() < 0.99 * latency.targetRate()) {
				return String.format(Locale.ROOT, "only %s of %,d events/s sustained", number(latency.achievedRate()),
						latency.targetRate());
			}
			if (latency.delivered() < latency.expected()) {
				return String.format(Locale.ROOT, "of the %.1f %% delivered",
						100.0 * latency.delivered() / latency.expected());
			}
		}
		if (figure == Figure.HEAP_KB_PER_IDLE_CONNECTION && result.idle() != null
				&& result.idle().opened() < result.idle().requested()) {
			return String.format(Locale.ROOT, "at %,d connections", result.idle().opened());
		}
		return null;
	}

	/** The caveat in a few words, for the chart. */
	static String shortCaveat(Figure figure, VariantResult result) {
		if (figure == Figure.P99_MILLIS && result.latency() != null) {
			var latency = result.latency();
			if (latency.achievedRate() != null && latency.achievedRate() < 0.99 * latency.targetRate()) {
				return String.format(Locale.ROOT, "only %.0f events/s", latency.achievedRate());
			}
			if (latency.delivered() < latency.expected()) {
				return String.format(Locale.ROOT, "%.0f %% delivered", 100.0 * latency.delivered() / latency.expected());
			}
		}
		if (figure == Figure.HEAP_KB_PER_IDLE_CONNECTION && result.idle() != null
				&& result.idle().opened() < result.idle().requested()) {
			return String.format(Locale.ROOT, "%,d conns", result.idle().opened());
		}
		return null;
	}

	private static void fanOut(Run run, StringBuilder out) {
		out.append("## Fan-out: publishing as fast as the clients take it\n\n");
		out.append("The publisher sends bursts of 100 events and stays at most 200 events ahead of the slowest "
				+ "client, so queues never overflow and CPU goes into deliveries. Client CPU is the load client's.\n\n");
		out.append("| variant | published | delivered | deliveries/s | server CPU µs/delivery | client CPU µs/delivery "
				+ "| dropped by server |\n");
		out.append("|---|---|---|---|---|---|---|\n");
		for (VariantResult result : run.variants()) {
			var fanOut = result.fanOut();
			if (fanOut != null) {
				out.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %s | %s | %s | %s |\n", result.variant(),
						fanOut.published(), fanOut.delivered(), number(fanOut.deliveriesPerSecond()),
						number(fanOut.cpuMicrosPerDelivery()), number(fanOut.clientCpuMicrosPerDelivery()),
						(fanOut.dropped() != null) ? String.format(Locale.ROOT, "%,d", fanOut.dropped())
								: "not counted"));
			}
		}
		out.append('\n');
	}

	private static void latency(Run run, StringBuilder out) {
		out.append("## Latency: publish to receive at a fixed rate\n\n");
		out.append("Server GC pauses: the server JVM's stop-the-world collections during the measurement (every delivery "
				+ "waits while one runs).\n\n");
		out.append("| variant | events/s achieved | delivered | p50 ms | p99 ms | p99.9 ms | max ms | server CPU µs per "
				+ "delivery | server GC pauses | GC pause ms, total | longest GC pause ms |\n");
		out.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
		for (VariantResult result : run.variants()) {
			var latency = result.latency();
			if (latency != null) {
				out.append(String.format(Locale.ROOT, "| %s | %s | %.2f %% | %s | %s | %s | %s | %s | %s | %s | %s |\n",
						result.variant(), number(latency.achievedRate()),
						100.0 * latency.delivered() / Math.max(1, latency.expected()), number(latency.p50Millis()),
						number(latency.p99Millis()), number(latency.p999Millis()), number(latency.maxMillis()),
						number(latency.cpuMicrosPerDelivery()), count(latency.gcPauses()),
						count(latency.gcPauseMillis()), count(latency.gcLongestPauseMillis())));
			}
		}
		out.append('\n');
	}

	private static void slowClients(Run run, StringBuilder out) {
		out.append("## Slow clients: fast clients' full-speed rate alone and with stalled clients beside them\n\n");
		out.append("| variant | events/s per fast client, alone | with stalled | ratio | p99 ms alone | p99 ms with stalled "
				+ "| heap retained for stalled clients (MB) | unbounded backlog would be (MB) |\n");
		out.append("|---|---|---|---|---|---|---|---|\n");
		for (VariantResult result : run.variants()) {
			var slow = result.slowClients();
			if (slow != null) {
				out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", result.variant(),
						number(slow.baselineRatePerClient()), number(slow.stalledRatePerClient()),
						number(slow.rateRatio()), number(slow.baselineP99Millis()), number(slow.stalledP99Millis()),
						number(slow.retainedHeapMb()), number(slow.unboundedBacklogMb())));
			}
		}
		out.append('\n');
	}

	private static void slowReaders(Run run, StringBuilder out) {
		out.append("## Slow readers: clients that read at half a fast client's rate\n\n");
		out.append("A tenth of the clients take half the bytes of what is published while the others run at full "
				+ "speed beside them for four rounds in a row, so they fall further and further behind; then the slow "
				+ "readers take whatever is still coming to them. The fast clients' rates are medians: of three rounds "
				+ "alone, of the four with slow readers. "
				+ "\"Lost silently\": events a slow reader skipped with no `sse.reset` (or other notice) before the next "
				+ "one; a gap after a notice is announced. The heap is what the server holds for the slow readers while "
				+ "they are behind.\n\n");
		out.append("| variant | events/s per fast client, alone | with slow readers | ratio | p99 ms alone | "
				+ "p99 ms with slow readers | heap retained (MB) | published | slow readers received | lost silently | "
				+ "out of order | resets received | catch-ups |\n");
		out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		for (VariantResult result : run.variants()) {
			var slow = result.slowReaders();
			if (slow != null) {
				out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %,d | %,d | %,d | %,d | %,d | %s |\n",
						result.variant(), number(slow.baselineRatePerClient()), number(slow.withSlowRatePerClient()),
						number(slow.rateRatio()), number(slow.baselineP99Millis()), number(slow.withSlowP99Millis()),
						number(slow.retainedHeapMb()), slow.published(), slow.slowEvents(), slow.lostSilently(),
						slow.outOfOrder(), slow.resetsReceived(),
						(slow.catchUps() != null) ? String.format(Locale.ROOT, "%,d", slow.catchUps()) : "none"));
			}
		}
		out.append('\n');
	}

	private static void idle(Run run, StringBuilder out) {
		out.append("## Idle connections: memory per connection\n\n");
		out.append("| variant | opened / requested | heap KB per connection | RSS KB per connection |\n");
		out.append("|---|---|---|---|\n");
		for (VariantResult result : run.variants()) {
			var idle = result.idle();
			if (idle != null) {
				out.append(String.format(Locale.ROOT, "| %s | %,d / %,d | %s | %s |\n", result.variant(), idle.opened(),
						idle.requested(), number(idle.heapKbPerConnection()), number(idle.rssKbPerConnection())));
			}
		}
		out.append('\n');
		for (VariantResult result : run.variants()) {
			var idle = result.idle();
			if (idle != null && idle.breakdown() != null && !idle.breakdown().isEmpty()) {
				out.append("What one idle connection of `").append(result.variant())
					.append("` holds, by class (heap class histogram before and after; classes of at least 64 bytes "
							+ "per connection):\n\n| class | instances | bytes |\n|---|---|---|\n");
				for (var share : idle.breakdown()) {
					out.append(String.format(Locale.ROOT, "| `%s` | %.2f | %,.0f |\n", share.className(),
							share.instancesPerConnection(), share.bytesPerConnection()));
				}
				out.append('\n');
			}
		}
	}

	private static void targets(Run run, StringBuilder out) {
		out.append("## The starter against its targets\n\n| target | measured | met |\n|---|---|---|\n");
		for (Target target : targets(run)) {
			out.append("| ").append(target.target()).append(" | ").append(target.measured()).append(" | ")
				.append(target.met() == null ? "not measured" : (target.met() ? "yes" : "**no**")).append(" |\n");
		}
	}

	record Target(String target, String measured, Boolean met) {
	}

	static List<Target> targets(Run run) {
		VariantResult starter = find(run, LoadHarness.STARTER);
		VariantResult ceiling = find(run, LoadHarness.CEILING);
		List<Target> targets = new ArrayList<>();
		Double cpuCeiling = Figure.CPU_MICROS_PER_DELIVERY.of(ceiling);
		for (String variant : List.of(LoadHarness.STARTER, "starter-jetty")) {
			double limit = variant.equals(LoadHarness.STARTER) ? 2 : 1.3;
			Double cpu = Figure.CPU_MICROS_PER_DELIVERY.of(find(run, variant));
			targets.add(new Target("server CPU per delivery at full speed within " + number(limit)
					+ "× the ceiling's (" + variant + ")",
					(cpu != null && cpuCeiling != null) ? ratio(cpu, cpuCeiling) + "×" : "n/a",
					(cpu != null && cpuCeiling != null) ? cpu <= limit * cpuCeiling : null));
		}
		var ceilingLatency = (ceiling != null) ? ceiling.latency() : null;
		for (String variant : List.of(LoadHarness.STARTER, "starter-jetty")) {
			VariantResult result = find(run, variant);
			var latency = (result != null) ? result.latency() : null;
			boolean comparable = latency != null && ceilingLatency != null && latency.p99Millis() != null
					&& ceilingLatency.p99Millis() != null;
			targets.add(new Target("at the fixed rate every event delivered, p99 within 1.3× the ceiling's (" + variant
					+ ")",
					comparable ? String.format(Locale.ROOT, "p99 %s ms = %s×, %,d of %,d delivered",
							number(latency.p99Millis()), ratio(latency.p99Millis(), ceilingLatency.p99Millis()),
							latency.delivered(), latency.expected()) : "n/a",
					comparable ? latency.p99Millis() <= 1.3 * ceilingLatency.p99Millis()
							&& latency.delivered() >= latency.expected() : null));
			Double cpu = Figure.FIXED_RATE_CPU_MICROS_PER_DELIVERY.of(result);
			Double ceilingCpu = Figure.FIXED_RATE_CPU_MICROS_PER_DELIVERY.of(ceiling);
			targets.add(new Target("server CPU per delivery at the fixed rate within 2× the ceiling's (" + variant + ")",
					(cpu != null && ceilingCpu != null) ? ratio(cpu, ceilingCpu) + "×" : "n/a",
					(cpu != null && ceilingCpu != null) ? cpu <= 2 * ceilingCpu : null));
		}
		for (String variant : List.of(LoadHarness.STARTER, "starter-jetty")) {
			Double heap = Figure.HEAP_KB_PER_IDLE_CONNECTION.of(find(run, variant));
			targets.add(new Target("under 25 KB heap per idle connection (" + variant + ")",
					(heap != null) ? number(heap) + " KB" : "n/a", (heap != null) ? heap < 25 : null));
		}
		var slow = (starter != null) ? starter.slowClients() : null;
		targets.add(new Target("fast clients within 10 % of their rate when 10 % stall",
				(slow != null && slow.rateRatio() != null) ? number(slow.rateRatio()) + "× their rate alone" : "n/a",
				(slow != null && slow.rateRatio() != null) ? slow.rateRatio() >= 0.9 : null));
		var readers = (starter != null) ? starter.slowReaders() : null;
		targets.add(new Target("slow readers: no event lost silently, fast clients ≥ 0.9× their rate alone",
				(readers != null) ? String.format(Locale.ROOT, "%,d lost silently, %,d out of order, %,d resets; %s×",
						readers.lostSilently(), readers.outOfOrder(), readers.resetsReceived(),
						number(readers.rateRatio())) : "n/a",
				(readers != null && readers.rateRatio() != null)
						? readers.lostSilently() == 0 && readers.outOfOrder() == 0 && readers.rateRatio() >= 0.9 : null));
		return targets;
	}

	static String json(Run run) {
		VariantResult starter = find(run, LoadHarness.STARTER);
		VariantResult ceiling = find(run, LoadHarness.CEILING);
		Map<String, Map<String, Map<String, Double>>> ratios = new LinkedHashMap<>();
		for (VariantResult result : run.variants()) {
			Map<String, Map<String, Double>> figures = new LinkedHashMap<>();
			for (Figure figure : Figure.values()) {
				Double value = figure.of(result);
				Map<String, Double> entry = new LinkedHashMap<>();
				entry.put("value", value);
				entry.put("toStarter", divide(value, figure.of(starter)));
				entry.put("toCeiling", divide(value, figure.of(ceiling)));
				figures.put(figure.name(), entry);
			}
			ratios.put(result.variant(), figures);
		}
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("run", run);
		document.put("ratios", ratios);
		document.put("targets", targets(run));
		return JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(document);
	}

	static VariantResult find(Run run, String variant) {
		return run.variants().stream().filter((r) -> r.variant().equals(variant)).findFirst().orElse(null);
	}

	private static Double divide(Double value, Double base) {
		return (value == null || base == null || base == 0) ? null : value / base;
	}

	private static String ratio(double value, Double base) {
		return Optional.ofNullable(divide(value, base)).map((r) -> String.format(Locale.ROOT, "%.2f", r)).orElse("n/a");
	}

	/** A count, or "n/a" for a result that has none (one read from an older report). */
	private static String count(Long value) {
		return (value != null) ? String.format(Locale.ROOT, "%,d", value) : "n/a";
	}

	static String number(Double value) {
		if (value == null || value.isNaN()) {
			return "n/a";
		}
		double magnitude = Math.abs(value);
		if (magnitude >= 1000) {
			return String.format(Locale.ROOT, "%,.0f", value);
		}
		if (magnitude >= 10) {
			return String.format(Locale.ROOT, "%.1f", value);
		}
		if (magnitude >= 0.1) {
			return String.format(Locale.ROOT, "%.2f", value);
		}
		return String.format(Locale.ROOT, "%.3f", value);
	}

}
