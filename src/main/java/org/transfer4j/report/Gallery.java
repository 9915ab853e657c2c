package org.transfer4j.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
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
        List<Tile> grid = new ArrayList<>();
        List<Plots.GridItem> gridItems = new ArrayList<>();
        int cells = Math.min(GRID, images.size());
        for (int k = 0; k < cells; k++) {
            ScoredImage s = images.get((int) ((long) k * images.size() / cells));
            BufferedImage img = decode(s, decode, log);
            if (img != null) {
                grid.add(new Tile(Thumbnails.jpegUri(img, THUMB), caption(s, classes), !s.correct()));
                gridItems.add(new Plots.GridItem(Thumbnails.shrink(img, THUMB), classes.get(s.predicted()),
                        classes.get(s.truth())));
            }
        }
        List<ScoredImage> byLoss = new ArrayList<>(images);
        byLoss.sort(Comparator.comparingDouble(ScoredImage::loss).reversed());
        List<Tile> losses = new ArrayList<>();
        for (ScoredImage s : byLoss.subList(0, Math.min(TOP_LOSSES, byLoss.size()))) {
            BufferedImage img = decode(s, decode, log);
            if (img != null) {
                losses.add(new Tile(Thumbnails.jpegUri(img, THUMB), caption(s, classes)
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
        List<CamTile> tiles = new ArrayList<>();
        for (ScoredImage s : chosen) {
            BufferedImage img = decode(s, decode, log);
            if (img == null) {
                continue;
            }
            float[] pixels = pre.apply(img);
            Heatmap map = cam.explain(pixels, new int[] {s.predicted()}).get(0);
            BufferedImage seen = GradCam.inputImage(pixels, pre);
            tiles.add(new CamTile(Thumbnails.jpegUri(seen, THUMB), Thumbnails.jpegUri(map.overlay(seen), THUMB),
                    caption(s, classes) + " · heatmap of " + classes.get(s.predicted()), !s.correct()));
        }
        return List.copyOf(tiles);
    }

    static String caption(ScoredImage s, List<String> classes) {
        String predicted = classes.get(s.predicted());
        String text = String.format(Locale.ROOT, "%s %.2f", predicted, s.probability(s.predicted()));
        return s.correct() ? text : text + " (true: " + classes.get(s.truth()) + ")";
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
