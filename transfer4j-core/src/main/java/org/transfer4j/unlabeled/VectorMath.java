package org.transfer4j.unlabeled;

/** Small vector operations shared by search and clustering. */
final class VectorMath {

    private VectorMath() {
    }

    /** A copy scaled to unit L2 norm; a zero vector stays zero. */
    static float[] normalised(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        float[] out = v.clone();
        if (sum > 0) {
            float scale = (float) (1 / Math.sqrt(sum));
            for (int j = 0; j < out.length; j++) {
                out[j] *= scale;
            }
        }
        return out;
    }

    /** Dot product (the cosine of two unit vectors). */
    static float dot(float[] a, float[] b) {
        float sum = 0;
        for (int j = 0; j < a.length; j++) {
            sum += a[j] * b[j];
        }
        return sum;
    }

    /** Squared Euclidean distance. */
    static double squaredDistance(float[] a, float[] b) {
        double sum = 0;
        for (int j = 0; j < a.length; j++) {
            double d = a[j] - b[j];
            sum += d * d;
        }
        return sum;
    }
}
