package org.transfer4j.report;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.transfer4j.unlabeled.Clusters;

/**
 * The pictures of a clustering: one contact sheet per cluster ({@code cluster-01.png}, the images
 * nearest its centre first) and {@code clusters.html}, a self-contained page showing every cluster.
 */
public final class ClusterPage {

    /** Images on a cluster's contact sheet at most. */
    public static final int SHEET_IMAGES = 24;
    /** Images per cluster on the HTML page at most. */
    public static final int PAGE_IMAGES = 12;
    /** The page's file name. */
    public static final String HTML = "clusters.html";

    private ClusterPage() {
    }

    /** The contact sheets and the page, by file name. */
    public static Map<String, byte[]> render(Clusters clusters, String title, PrintStream log) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>" + escape(title) + "</title><style>body{font-family:sans-serif;margin:1.5em}"
                + ".c{margin-bottom:2em}.g{display:flex;flex-wrap:wrap;gap:6px}figure{margin:0;width:130px}"
                + "img{max-width:128px;max-height:128px}figcaption{font-size:11px;word-break:break-all}</style>"
                + "</head><body>\n<h1>" + escape(title) + "</h1>\n");
        html.append("<p>").append(clusters.k()).append(" clusters of ").append(clusters.embeddings().count())
                .append(" images (k-means on L2-normalised ").append(escape(clusters.embeddings().backbone()))
                .append(" features); in each cluster the images nearest its centre come first.");
        if (!clusters.silhouettes().isEmpty()) {
            html.append(" k chosen by the mean silhouette:");
            clusters.silhouettes().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> html.append(
                    String.format(Locale.ROOT, " k=%d: %.3f;", e.getKey(), e.getValue())));
        }
        html.append("</p>\n");
        for (int c = 0; c < clusters.k(); c++) {
            List<Integer> members = clusters.members(c);
            String name = Clusters.name(c);
            List<ContactSheet.Tile> tiles = new ArrayList<>();
            for (int i : members.subList(0, Math.min(SHEET_IMAGES, members.size()))) {
                tiles.add(new ContactSheet.Tile(clusters.embeddings().file(i), clusters.embeddings().items().get(i).path()));
            }
            files.put(name + ".png", ContactSheet.png(tiles, 6, log));
            html.append("<div class=\"c\"><h2>").append(name).append(" · ").append(members.size())
                    .append(" images</h2><div class=\"g\">\n");
            for (int i : members.subList(0, Math.min(PAGE_IMAGES, members.size()))) {
                String path = clusters.embeddings().items().get(i).path();
                String uri = ContactSheet.thumbnailUri(clusters.embeddings().file(i), 128, log);
                html.append("<figure>").append(uri == null ? "" : "<img src=\"" + uri + "\" alt=\"\">")
                        .append("<figcaption>").append(escape(path)).append("</figcaption></figure>\n");
            }
            html.append("</div></div>\n");
        }
        html.append("</body></html>\n");
        files.put(HTML, html.toString().getBytes(StandardCharsets.UTF_8));
        return files;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
