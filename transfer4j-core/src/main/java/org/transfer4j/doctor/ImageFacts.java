package org.transfer4j.doctor;

/**
 * What the data doctor learned about one image file.
 *
 * @param path the file relative to the dataset folder, '/'-separated
 * @param split "train" or "test"
 * @param className the class folder it belongs to
 * @param bytes file size
 * @param format the format read from the first bytes, e.g. "JPEG"; "UNKNOWN" when none
 * @param extensionMismatch the file name's extension says another format (a PNG named .jpg)
 * @param width stored width in pixels (0 when unknown)
 * @param height stored height in pixels (0 when unknown)
 * @param colour colour model from the header: "RGB", "GRAY", "CMYK", "YCCK", "PALETTE", ...
 * @param alpha has an alpha channel or transparent palette entries
 * @param bitsPerSample bits per sample (8, 16, ...; 0 when unknown)
 * @param frames number of frames (more than 1 for an animated GIF)
 * @param exifOrientation EXIF orientation 1..8 (1 = upright or none)
 * @param sha content hash (the feature cache's key), null when unreadable
 * @param hash perceptual hash of the decoded, upright image; null when it could not be decoded
 * @param problem why the file cannot be used, null when it decodes
 */
public record ImageFacts(String path, String split, String className, long bytes, String format,
                         boolean extensionMismatch, int width, int height, String colour, boolean alpha,
                         int bitsPerSample, int frames, int exifOrientation, String sha, PerceptualHash hash,
                         String problem) {

    /** Whether the file decodes. */
    public boolean readable() {
        return problem == null;
    }

    /** The shorter side, 0 when unknown. */
    public int shorterSide() {
        return Math.min(width, height);
    }
}
