package org.transfer4j.unlabeled;

/** Small vector operations shared by search, clustering and suggestions. */
public final class VectorMath {

    private VectorMath() {
    }

    /** A copy scaled to unit L2 norm; a zero vector stays zero. */
    public static float[] normalised(float[] v) {
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

    /**
     * Dot product (the cosine of two unit vectors). Four running sums, so that the CPU can overlap the
     * multiply-adds (with one sum each add waits for the last); search and the HNSW build spend most of
     * their time here.
     */
    public static float dot(float[] a, float[] b) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int n = a.length;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            s0 += a[j] * b[j];
            s1 += a[j + 1] * b[j + 1];
            s2 += a[j + 2] * b[j + 2];
            s3 += a[j + 3] * b[j + 3];
        }
        for (; j < n; j++) {
            s0 += a[j] * b[j];
        }
        return (s0 + s1) + (s2 + s3);
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
