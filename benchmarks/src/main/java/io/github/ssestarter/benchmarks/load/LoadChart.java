package io.github.ssestarter.benchmarks.load;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import io.github.ssestarter.benchmarks.load.LoadReport.Figure;
import io.github.ssestarter.benchmarks.load.LoadResults.Run;
import io.github.ssestarter.benchmarks.load.LoadResults.VariantResult;

/**
 * The headline figures as a PNG: one panel per figure, one bar per variant, on a log
 * scale (the variants differ by orders of magnitude), each bar labelled with its value and
 * with what the value does not say by itself (a rate not sustained, events lost).
 */
final class LoadChart {

	private static final int PANEL_WIDTH = 560;

	private static final int ROW = 26;

	private static final int LABEL_WIDTH = 130;

	private static final Color STARTER = new Color(0x2e7d32);

	private static final Color CEILING = new Color(0x607d8b);

	private static final Color OTHER = new Color(0xef6c00);

	private LoadChart() {
	}

	static void write(Run run, Path file) throws IOException {
		System.setProperty("java.awt.headless", "true");
		List<VariantResult> variants = run.variants();
		int panelHeight = 50 + variants.size() * ROW + 20;
		int width = PANEL_WIDTH * 2 + 30;
		int height = 60 + panelHeight * ((Figure.values().length + 1) / 2) + 20;
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		try {
			g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
			g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
			g.setColor(Color.WHITE);
			g.fillRect(0, 0, width, height);
			g.setColor(Color.BLACK);
			g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
			g.drawString("SSE load: " + run.settings().clients() + " clients, " + run.settings().dataBytes()
					+ "-byte events (log scales)", 15, 25);
			g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
			g.drawString(run.machine(), 15, 44);
			Figure[] figures = Figure.values();
			for (int i = 0; i < figures.length; i++) {
				panel(g, figures[i], variants, 10 + (i % 2) * (PANEL_WIDTH + 10), 60 + (i / 2) * panelHeight);
			}
		}
		finally {
			g.dispose();
		}
		ImageIO.write(image, "png", file.toFile());
	}

	private static void panel(Graphics2D g, Figure figure, List<VariantResult> variants, int x, int y) {
		g.setColor(Color.BLACK);
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
		g.drawString(figure.label + (figure.lowerIsBetter ? " (lower is better)" : " (higher is better)"), x, y + 20);
		double min = Double.MAX_VALUE;
		double max = 0;
		for (VariantResult variant : variants) {
			Double value = figure.of(variant);
			if (value != null && value > 0) {
				min = Math.min(min, value);
				max = Math.max(max, value);
			}
		}
		double low = Math.log10(min) - 0.3;
		double high = Math.log10(max) + 0.1;
		boolean caveats = variants.stream().anyMatch((variant) -> LoadReport.shortCaveat(figure, variant) != null);
		int barSpace = PANEL_WIDTH - LABEL_WIDTH - (caveats ? 190 : 90);
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
		for (int i = 0; i < variants.size(); i++) {
			VariantResult variant = variants.get(i);
			int rowY = y + 35 + i * ROW;
			g.setColor(Color.BLACK);
			g.drawString(variant.variant(), x, rowY + 15);
			Double value = figure.of(variant);
			if (value == null || value <= 0 || max == 0) {
				g.setColor(Color.GRAY);
				g.drawString("not measured", x + LABEL_WIDTH, rowY + 15);
				continue;
			}
			int length = (int) Math.max(2, barSpace * (Math.log10(value) - low) / (high - low));
			g.setColor(variant.variant().startsWith(LoadHarness.STARTER) ? STARTER
					: variant.variant().equals(LoadHarness.CEILING) ? CEILING : OTHER);
			g.fillRect(x + LABEL_WIDTH, rowY + 3, length, ROW - 8);
			g.setColor(Color.BLACK);
			String caveat = LoadReport.shortCaveat(figure, variant);
			g.drawString(LoadReport.number(value) + ((caveat != null) ? " (" + caveat + ")" : ""),
					x + LABEL_WIDTH + length + 5, rowY + 15);
		}
		g.setColor(Color.LIGHT_GRAY);
		g.setStroke(new BasicStroke(1));
		g.drawLine(x + LABEL_WIDTH, y + 32, x + LABEL_WIDTH, y + 35 + variants.size() * ROW);
	}

}
