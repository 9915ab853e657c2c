package org.transfer4j.train;

import java.util.Objects;
import org.transfer4j.data.Augmentation;

/**
 * How a run augments its training images: {@code count} views per image of one {@link Augmentation}
 * preset, each drawn from (seed, image content hash, view index) only, so views can be computed once,
 * cached and reused by later runs. Epoch e trains on view {@code (e - 1) mod count} of every image.
 *
 * @param augmentation the preset ({@link Augmentation#NONE}: the plain images, one view)
 * @param count views per training image
 * @param seed the run's seed
 */
public record AugmentedViews(Augmentation augmentation, int count, long seed) {

    public AugmentedViews {
        Objects.requireNonNull(augmentation, "augmentation");
        if (count < 1) {
            throw new IllegalArgumentException("--aug-views must be at least 1, got " + count);
        }
        if (augmentation.isNone() && count != 1) {
            throw new IllegalArgumentException("--aug-views " + count + " needs --augment light, standard or strong");
        }
    }

    /** No augmentation. */
    public static AugmentedViews none() {
        return new AugmentedViews(Augmentation.NONE, 1, 0);
    }

    /** Whether the images are augmented at all. */
    public boolean active() {
        return !augmentation.isNone();
    }

    /** The view epoch e (from 1) trains on. */
    public int viewOfEpoch(int epoch) {
        return Math.floorMod(epoch - 1, count);
    }

    /** Suffix of the cache folder holding view {@code view}; changes whenever the view's pixels would. */
    String cacheSuffix(int view) {
        Augmentation a = augmentation;
        String params = a.scaleMin() + "," + a.scaleMax() + "," + a.ratioMin() + "," + a.ratioMax() + ","
                + a.flipProbability() + "," + a.rotationDegrees() + "," + a.brightness() + "," + a.contrast() + ","
                + a.saturation();
        return "-aug-" + a.name() + "-" + Integer.toHexString(params.hashCode()) + "-s" + seed + "-v" + view;
    }

    @Override
    public String toString() {
        return active() ? augmentation.name() + " x" + count + " views (seed " + seed + ")" : "none";
    }
}
