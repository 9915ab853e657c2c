package org.transfer4j.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.DecimalFormat;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.transfer4j.eval.Evaluation;
import org.transfer4j.train.EpochStats;
import org.transfer4j.train.LearningRateFinder;

/**
 * The report's plots as PNG: loss curves, accuracy against the majority-class baseline, the
 * confusion matrix, a grid of test predictions, and the learning-rate range test.
 */
public final class Plots {

    private static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f,
            new float[] {6f, 4f}, 0f);

    /** One cell of the prediction grid. */
    public record GridItem(BufferedImage image, String predicted, String truth) {
    }

    private Plots() {
    }

    /** Train and validation loss per epoch, validation accuracy on a second axis, as PNG bytes. */
    public static byte[] lossCurves(List<EpochStats> history) {
        XYSeries train = new XYSeries("train loss");
        XYSeries test = new XYSeries("validation loss");
        XYSeries accuracy = new XYSeries("validation accuracy");
        for (EpochStats e : history) {
            train.add(e.epoch(), e.trainLoss());
            if (!Double.isNaN(e.validationLoss())) {
                test.add(e.epoch(), e.validationLoss());
                accuracy.add(e.epoch(), e.validationAccuracy());
            }
        }
        XYSeriesCollection losses = new XYSeriesCollection();
        losses.addSeries(train);
        losses.addSeries(test);
        JFreeChart chart = lineChart("Training", "epoch", "NLL loss", losses);
        XYPlot plot = chart.getXYPlot();
        ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYLineAndShapeRenderer lossRenderer = new XYLineAndShapeRenderer(true, true);
        lossRenderer.setSeriesPaint(0, new Color(0x1f77b4));
        lossRenderer.setSeriesPaint(1, new Color(0xff7f0e));
        plot.setRenderer(0, lossRenderer);
        NumberAxis accAxis = new NumberAxis("accuracy");
        accAxis.setRange(0, 1.0);
        plot.setRangeAxis(1, accAxis);
        plot.setDataset(1, new XYSeriesCollection(accuracy));
        plot.mapDatasetToRangeAxis(1, 1);
        XYLineAndShapeRenderer accRenderer = new XYLineAndShapeRenderer(true, true);
        accRenderer.setSeriesPaint(0, new Color(0x2ca02c));
        accRenderer.setSeriesStroke(0, DASHED);
        plot.setRenderer(1, accRenderer);
        return png(chart.createBufferedImage(800, 500));
    }

    /**
     * Validation accuracy per epoch with the majority-class baseline and chance as flat lines, as PNG bytes.
     */
    public static byte[] accuracyCurve(List<EpochStats> history, double majorityBaseline, double chance) {
        XYSeries accuracy = new XYSeries("validation accuracy");
        XYSeries baseline = new XYSeries("majority-class baseline");
        XYSeries random = new XYSeries("chance");
        for (EpochStats e : history) {
            if (!Double.isNaN(e.validationAccuracy())) {
                accuracy.add(e.epoch(), e.validationAccuracy());
            }
            baseline.add(e.epoch(), majorityBaseline);
            random.add(e.epoch(), chance);
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(accuracy);
        data.addSeries(baseline);
        data.addSeries(random);
        JFreeChart chart = lineChart("Accuracy", "epoch", "accuracy", data);
        XYPlot plot = chart.getXYPlot();
        ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        ((NumberAxis) plot.getRangeAxis()).setRange(0, 1.0);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setSeriesShapesVisible(0, true);
        renderer.setSeriesPaint(0, new Color(0x2ca02c));
        renderer.setSeriesPaint(1, new Color(0x7f7f7f));
        renderer.setSeriesPaint(2, new Color(0xd62728));
        renderer.setSeriesStroke(1, DASHED);
        renderer.setSeriesStroke(2, DASHED);
        plot.setRenderer(renderer);
        return png(chart.createBufferedImage(800, 400));
    }

    /**
     * The confusion matrix as a heat grid: rows true classes, columns predicted, each cell coloured by
     * its row share and labelled with its count and share.
     */
    public static byte[] confusionMatrix(Evaluation evaluation) {
        List<String> classes = evaluation.classes();
        long[][] counts = evaluation.confusion();
        double[][] shares = evaluation.rowNormalised();
        int n = classes.size();
        int cell = Math.max(28, Math.min(90, 720 / n));
        int margin = 130;
        int size = margin + n * cell + 20;
        BufferedImage canvas = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, size, size);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.min(13, cell / 3)));
        g.setColor(Color.BLACK);
        g.drawString("predicted →", margin, 16);
        g.drawString("true ↓", 6, 16);
        for (int i = 0; i < n; i++) {
            g.setColor(Color.BLACK);
            g.drawString(clip(classes.get(i), 16), 6, margin + i * cell + cell / 2 + 4);
            Graphics2D r = (Graphics2D) g.create();
            r.translate(margin + i * cell + cell / 2 + 4, margin - 6);
            r.rotate(-Math.PI / 2);
            r.drawString(clip(classes.get(i), 14), 0, 0);
            r.dispose();
            for (int j = 0; j < n; j++) {
                int shade = (int) Math.round(255 * (1 - shares[i][j]));
                g.setColor(new Color(shade, shade, 255));
                g.fillRect(margin + j * cell, margin + i * cell, cell, cell);
                g.setColor(shares[i][j] > 0.5 ? Color.WHITE : Color.BLACK);
                g.drawString(String.valueOf(counts[i][j]), margin + j * cell + 4, margin + i * cell + cell / 2);
                if (cell >= 40) {
                    g.drawString(String.format(java.util.Locale.ROOT, "%.0f%%", 100 * shares[i][j]),
                            margin + j * cell + 4, margin + i * cell + cell / 2 + 14);
                }
            }
        }
        g.setColor(Color.GRAY);
        g.drawRect(margin, margin, n * cell, n * cell);
        g.dispose();
        return png(canvas);
    }

    /**
     * A grid of images, each titled with its predicted class; wrong ones in red with the true class.
     *
     * @param columns images per row (the recipe uses 6 columns, 4 rows)
     */
    public static byte[] predictionGrid(List<GridItem> items, int columns) {
        int cell = 160;
        int title = 34;
        int rows = Math.max(1, (items.size() + columns - 1) / columns);
        BufferedImage canvas = new BufferedImage(columns * cell, rows * (cell + title), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, canvas.getWidth(), canvas.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i < items.size(); i++) {
            GridItem item = items.get(i);
            int x = (i % columns) * cell;
            int y = (i / columns) * (cell + title);
            boolean right = item.predicted().equals(item.truth());
            g.setColor(right ? new Color(0x1a7f37) : new Color(0xcf222e));
            g.drawString(clip(item.predicted(), 22), x + 6, y + 14);
            if (!right) {
                g.drawString(clip("(true: " + item.truth() + ")", 24), x + 6, y + 29);
            }
            BufferedImage img = item.image();
            double scale = Math.min((cell - 8.0) / img.getWidth(), (cell - 8.0) / img.getHeight());
            int w = (int) (img.getWidth() * scale);
            int h = (int) (img.getHeight() * scale);
            g.drawImage(img, x + (cell - w) / 2, y + title + (cell - h) / 2, w, h, null);
        }
        g.dispose();
        return png(canvas);
    }

    /**
     * The learning-rate range test: training loss (raw, light; smoothed, bold) against the learning
     * rate on a log axis, with the suggested rate marked by a vertical line.
     */
    public static byte[] learningRateCurve(LearningRateFinder.Result result) {
        XYSeries raw = new XYSeries("loss per step");
        XYSeries smoothed = new XYSeries("smoothed loss");
        for (int i = 0; i < result.rates().length; i++) {
            if (Double.isFinite(result.losses()[i])) {
                raw.add(result.rates()[i], result.losses()[i]);
            }
            if (Double.isFinite(result.smoothed()[i])) {
                smoothed.add(result.rates()[i], result.smoothed()[i]);
            }
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(raw);
        data.addSeries(smoothed);
        JFreeChart chart = lineChart("Learning-rate range test", "learning rate", "training loss", data);
        XYPlot plot = chart.getXYPlot();
        LogAxis rates = new LogAxis("learning rate (log scale)");
        rates.setBase(10);
        rates.setNumberFormatOverride(new DecimalFormat("0.0E0"));
        plot.setDomainAxis(rates);
        double top = 0;
        for (double loss : result.smoothed()) {
            top = Math.max(top, loss);
        }
        // The explosion at the end may leave the chart: the falling part is what matters.
        double start = result.smoothed().length == 0 ? 1 : result.smoothed()[0];
        ((NumberAxis) plot.getRangeAxis()).setRange(0, Math.max(1e-6, Math.min(top, 2 * start) * 1.1));
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setSeriesPaint(0, new Color(0xaec7e8));
        renderer.setSeriesPaint(1, new Color(0x1f77b4));
        renderer.setSeriesStroke(1, new BasicStroke(2.5f));
        plot.setRenderer(renderer);
        ValueMarker marker = new ValueMarker(result.suggestion(), new Color(0xd62728), DASHED);
        marker.setLabel(String.format(java.util.Locale.ROOT, "suggested %.1e", result.suggestion()));
        marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        marker.setLabelPaint(new Color(0xd62728));
        marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        plot.addDomainMarker(marker);
        return png(chart.createBufferedImage(800, 500));
    }

    /** A line chart with a legend on a white plot with light-grey grid lines. */
    private static JFreeChart lineChart(String title, String x, String y, XYSeriesCollection data) {
        JFreeChart chart = ChartFactory.createXYLineChart(title, x, y, data, PlotOrientation.VERTICAL, true, false,
                false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        return chart;
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
