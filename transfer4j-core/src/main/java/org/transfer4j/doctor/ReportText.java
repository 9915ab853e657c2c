package org.transfer4j.doctor;

import java.util.Locale;
import java.util.Map;

/** Renders an {@link InspectReport} as plain text for a terminal: summary tables, then findings. */
public final class ReportText {

    private static final int MAX_LISTED = 20;

    private ReportText() {
    }

    /** The whole report; every file of a finding is listed when {@code all}, else at most twenty. */
    public static String of(InspectReport r, boolean all) {
        StringBuilder b = new StringBuilder();
        b.append("dataset ").append(r.root()).append('\n');
        b.append("layout  ").append(r.layout()).append('\n');
        b.append(String.format(Locale.ROOT, "%-20s %8s %8s%n", "class", "train", "test"));
        int train = 0;
        int test = 0;
        for (String c : r.classes()) {
            int tr = r.counts().get("train").getOrDefault(c, 0);
            int te = r.counts().get("test").getOrDefault(c, 0);
            train += tr;
            test += te;
            b.append(String.format(Locale.ROOT, "%-20s %8d %8d%n", c, tr, te));
        }
        b.append(String.format(Locale.ROOT, "%-20s %8d %8d%n", "total", train, test));
        b.append(String.format(Locale.ROOT, "imbalance (largest/smallest training class): %.2f%n", r.imbalanceRatio()));
        b.append(String.format(Locale.ROOT, "width  min %d  median %d  max %d%n", r.widths().min(), r.widths().median(),
                r.widths().max()));
        b.append(String.format(Locale.ROOT, "height min %d  median %d  max %d%n", r.heights().min(), r.heights().median(),
                r.heights().max()));
        b.append("formats ").append(join(r.formats())).append('\n');
        b.append("kinds   ").append(r.kinds().isEmpty() ? "plain 8-bit RGB only" : join(r.kinds())).append('\n');
        long exact = r.duplicates().stream().filter(InspectReport.Duplicate::exact).count();
        b.append(String.format(Locale.ROOT, "unreadable %d, duplicate pairs %d exact + %d near, leaking across the split %d%n",
                r.unreadable().size(), exact, r.duplicates().size() - exact, r.leaks().size()));
        if (r.findings().isEmpty()) {
            b.append("\nno findings: the data looks clean\n");
        }
        for (Finding f : r.findings()) {
            b.append('\n').append(f.severity().name()).append(" [").append(f.code()).append("] ")
                    .append(f.message()).append('\n');
            int limit = all ? Integer.MAX_VALUE : MAX_LISTED;
            f.files().stream().limit(limit).forEach(p -> b.append("    ").append(p).append('\n'));
            if (f.files().size() > limit) {
                b.append("    ... and ").append(f.files().size() - limit).append(" more (--all lists them)\n");
            }
            b.append("  fix: ").append(f.suggestion()).append('\n');
        }
        return b.toString();
    }

    private static String join(Map<String, Integer> counts) {
        StringBuilder b = new StringBuilder();
        counts.forEach((k, v) -> b.append(b.length() > 0 ? ", " : "").append(k).append(' ').append(v));
        return b.toString();
    }
}
