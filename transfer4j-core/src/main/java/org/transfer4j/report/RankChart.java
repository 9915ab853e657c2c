package org.transfer4j.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.transfer4j.select.BackboneRanking;

/**
 * The chart of {@code transfer4j rank}: one horizontal bar panel per score (LogME, kNN accuracy,
 * ImageNet top-1), the backbones in recommended order, best at the top, the recommended one in a
 * darker colour.
 */
public final class RankChart {

    /** The first panel also holds the backbone names. */
    private static final int[] PANEL_WIDTHS = {500, 350, 350};
    private static final Color RECOMMENDED = new Color(0x1f77b4);
    private static final Color OTHERS = new Color(0xaec7e8);

    private RankChart() {
    }

    /** The chart as PNG bytes. */
    public static byte[] png(BackboneRanking.Result result) {
        List<BackboneRanking.Ranked> ranked = result.ranked();
        int height = 130 + 26 * ranked.size();
        BackboneRanking.Score[] scores = {BackboneRanking.Score.LOGME, BackboneRanking.Score.KNN,
            BackboneRanking.Score.IMAGENET_TOP1};
        BufferedImage canvas = new BufferedImage(PANEL_WIDTHS[0] + PANEL_WIDTHS[1] + PANEL_WIDTHS[2], height + 30,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, canvas.getWidth(), canvas.getHeight());
        int x = 0;
        for (int p = 0; p < scores.length; p++) {
            JFreeChart chart = panel(ranked, scores[p], p == 0);
            chart.draw(g, new Rectangle(x, 0, PANEL_WIDTHS[p], height));
            x += PANEL_WIDTHS[p];
        }
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(String.format(Locale.ROOT, "Recommended: %s. Order: mean rank of %s (rule %s, chosen by "
                + "bench/rank.sh).", result.recommended().candidate().backbone(),
                String.join(" and ", result.scores().stream().map(BackboneRanking.Score::label).toList()),
                result.rule()), 8, height + 18);
        g.dispose();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(canvas, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JFreeChart panel(List<BackboneRanking.Ranked> ranked, BackboneRanking.Score score, boolean names) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (BackboneRanking.Ranked r : ranked) {
            double v = score.of(r.candidate());
            String name = r.position() + ". " + r.candidate().backbone();
            data.addValue(Double.isNaN(v) ? null : v, score.label(), name);
        }
        JFreeChart chart = ChartFactory.createBarChart(score.label(), null, null, data, PlotOrientation.HORIZONTAL,
                false, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.getDomainAxis().setTickLabelsVisible(names);
        plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(0.6f);
        BarRenderer renderer = new BarRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                return column == 0 ? RECOMMENDED : OTHERS;
            }
        };
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        plot.setRenderer(renderer);
        return chart;
    }
}
