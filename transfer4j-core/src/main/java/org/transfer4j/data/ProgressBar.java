package org.transfer4j.data;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress report on stderr: {@code label  done/total  percent  items/s  ETA}. On a
 * terminal the line is redrawn in place ({@code \r}) at most ten times a second; otherwise (logs,
 * CI) a new line is printed at most every ten seconds, so that files stay readable.
 *
 * <p>Thread-safe. Whether stderr is a terminal is guessed from {@link System#console()}.
 */
public final class ProgressBar implements AutoCloseable {

    private static final long TERMINAL_INTERVAL_NS = 100_000_000L;
    private static final long LOG_INTERVAL_NS = 10_000_000_000L;

    private final String label;
    private final long total;
    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier nanoClock;
    private final long start;
    private long done;
    private long lastPrint;
    private boolean closed;

    /**
     * A bar writing to the given stream.
     *
     * @param terminal whether to redraw in place ({@code \r}) rather than print lines
     * @param nanoClock the time source, {@code System::nanoTime} outside tests
     */
    public ProgressBar(String label, long total, PrintStream out, boolean terminal, LongSupplier nanoClock) {
        if (total < 0) {
            throw new IllegalArgumentException("total must be >= 0, got " + total);
        }
        this.label = label;
        this.total = total;
        this.out = out;
        this.terminal = terminal;
        this.nanoClock = nanoClock;
        this.start = nanoClock.getAsLong();
        this.lastPrint = start;
    }

    /** A bar on {@code System.err}. */
    public static ProgressBar toStderr(String label, long total) {
        return new ProgressBar(label, total, System.err, System.console() != null, System::nanoTime);
    }

    /** Counts {@code n} more items done and redraws when due. */
    public synchronized void advance(long n) {
        done += n;
        long now = nanoClock.getAsLong();
        if (now - lastPrint >= (terminal ? TERMINAL_INTERVAL_NS : LOG_INTERVAL_NS)) {
            print(now, false);
        }
    }

    /** Items done so far. */
    public synchronized long done() {
        return done;
    }

    /** Prints the final state and ends the line. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            print(nanoClock.getAsLong(), true);
        }
    }

    /** The text of the bar at time {@code now}. */
    synchronized String line(long now) {
        double seconds = (now - start) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        String eta = rate > 0 && done < total ? duration((total - done) / rate) : "--:--";
        String percent = total > 0 ? String.format(Locale.ROOT, "%5.1f%%", 100.0 * done / total) : "";
        return String.format(Locale.ROOT, "%s %d/%d %s %.1f/s %s %s", label, done, total, percent, rate,
                done >= total ? "took" : "ETA", done >= total ? duration(seconds) : eta);
    }

    private void print(long now, boolean last) {
        lastPrint = now;
        String text = line(now);
        if (terminal) {
            out.print("\r" + text + "\u001B[K" + (last ? System.lineSeparator() : ""));
        } else {
            out.println(text);
        }
        out.flush();
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
