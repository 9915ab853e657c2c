package org.transfer4j.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.transfer4j.data.DecodeOptions;
import org.transfer4j.data.ImageDecoder;
import org.transfer4j.data.Preprocessing;

/**
 * The pictures of a report, as small JPEG data: URIs: a grid of test predictions, the images with
 * the largest loss, and Grad-CAM overlays over a sample of right and wrong test images.
 *
 * @param predictions up to 24 test images spread over the set, captioned with the prediction
 * @param topLosses up to 12 test images with the largest loss
 * @param gradCam Grad-CAM pairs (input as the model sees it, overlay), wrong ones first
 * @param gradCamNote why there are no Grad-CAM images, or null
 * @param predictionsPng the prediction grid as one PNG, for the bundle
 */
record Gallery(List<Tile> predictions, List<Tile> topLosses, List<CamTile> gradCam, String gradCamNote,
               byte[] predictionsPng) {

    /** One captioned picture. */
    record Tile(String uri, String caption, boolean wrong) {
    }

    /** One Grad-CAM example: the cropped input and the heatmap over it. */
    record CamTile(String imageUri, String overlayUri, String caption, boolean wrong) {
    }

    static final int GRID = 24;
    static final int TOP_LOSSES = 12;
    static final int CAM_EACH = 6;
    private static final int THUMB = 160;

    static Gallery build(List<ScoredImage> images, List<String> classes, Preprocessing pre, GradCam cam,
                         String camNote, PrintStream log) {
        DecodeOptions decode = DecodeOptions.forPreprocessing(pre);
        int cells = Math.min(GRID, images.size());
        List<ScoredImage> spread = new ArrayList<>();
        for (int k = 0; k < cells; k++) {
            spread.add(images.get((int) ((long) k * images.size() / cells)));
        }
        List<Tile> grid = new ArrayList<>();
        List<Plots.GridItem> gridItems = new ArrayList<>();
        List<BufferedImage> decoded = decodeAll(spread, decode, log);
        for (int k = 0; k < spread.size(); k++) {
            ScoredImage s = spread.get(k);
            BufferedImage img = decoded.get(k);
            if (img != null) {
                grid.add(new Tile(Thumbnails.jpegUri(img, THUMB), caption(s, classes), !s.correct()));
                gridItems.add(new Plots.GridItem(Thumbnails.shrink(img, THUMB), classes.get(s.predicted()),
                        classes.get(s.truth())));
            }
        }
        List<ScoredImage> byLoss = new ArrayList<>(images);
        byLoss.sort(Comparator.comparingDouble(ScoredImage::loss).reversed());
        List<ScoredImage> worst = byLoss.subList(0, Math.min(TOP_LOSSES, byLoss.size()));
        List<BufferedImage> worstDecoded = decodeAll(worst, decode, log);
        List<Tile> losses = new ArrayList<>();
        for (int k = 0; k < worst.size(); k++) {
            ScoredImage s = worst.get(k);
            if (worstDecoded.get(k) != null) {
                losses.add(new Tile(Thumbnails.jpegUri(worstDecoded.get(k), THUMB), caption(s, classes)
                        + String.format(Locale.ROOT, " · loss %.2f", s.loss()), !s.correct()));
            }
        }
        List<CamTile> cams = cam == null ? List.of() : gradCam(byLoss, classes, pre, cam, decode, log);
        return new Gallery(List.copyOf(grid), List.copyOf(losses), cams, cam == null ? camNote : null,
                Plots.predictionGrid(gridItems, 6));
    }

    /** The wrong images with the largest loss and correct ones spread over the set. */
    private static List<CamTile> gradCam(List<ScoredImage> byLoss, List<String> classes, Preprocessing pre,
                                         GradCam cam, DecodeOptions decode, PrintStream log) {
        List<ScoredImage> wrong = byLoss.stream().filter(s -> !s.correct()).limit(CAM_EACH).toList();
        List<ScoredImage> right = byLoss.stream().filter(ScoredImage::correct).toList();
        List<ScoredImage> chosen = new ArrayList<>(wrong);
        int n = Math.min(CAM_EACH, right.size());
        for (int k = 0; k < n; k++) {
            chosen.add(right.get((int) ((long) k * right.size() / n)));
        }
        List<BufferedImage> decoded = decodeAll(chosen, decode, log);
        List<ScoredImage> shown = new ArrayList<>();
        int per = pre.floatsPerImage();
        float[] pixels = new float[chosen.size() * per];
        for (int k = 0; k < chosen.size(); k++) {
            if (decoded.get(k) != null) {
                pre.apply(decoded.get(k), pixels, shown.size() * per);
                shown.add(chosen.get(k));
            }
        }
        if (shown.isEmpty()) {
            return List.of();
        }
        int[] targets = shown.stream().mapToInt(ScoredImage::predicted).toArray();
        List<Heatmap> maps = cam.explain(Arrays.copyOf(pixels, shown.size() * per), targets);
        List<CamTile> tiles = new ArrayList<>();
        for (int k = 0; k < shown.size(); k++) {
            ScoredImage s = shown.get(k);
            BufferedImage seen = GradCam.inputImage(Arrays.copyOfRange(pixels, k * per, (k + 1) * per), pre);
            tiles.add(new CamTile(Thumbnails.jpegUri(seen, THUMB), Thumbnails.jpegUri(maps.get(k).overlay(seen), THUMB),
                    caption(s, classes) + " · heatmap of " + classes.get(s.predicted()), !s.correct()));
        }
        return List.copyOf(tiles);
    }

    static String caption(ScoredImage s, List<String> classes) {
        String predicted = classes.get(s.predicted());
        String text = String.format(Locale.ROOT, "%s %.2f", predicted, s.probability(s.predicted()));
        return s.correct() ? text : text + " (true: " + classes.get(s.truth()) + ")";
    }

    /** Decodes the images on all cores; null where one cannot be read (noted in the log). */
    private static List<BufferedImage> decodeAll(List<ScoredImage> images, DecodeOptions options, PrintStream log) {
        return images.parallelStream().map(s -> decode(s, options, log)).toList();
    }

    private static BufferedImage decode(ScoredImage s, DecodeOptions options, PrintStream log) {
        try {
            return ImageDecoder.decodeRgb(s.file(), options);
        } catch (IOException e) {
            log.printf("report: cannot show %s (%s)%n", s.file(), e.getMessage());
            return null;
        }
    }
}
