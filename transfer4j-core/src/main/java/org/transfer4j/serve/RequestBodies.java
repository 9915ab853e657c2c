package org.transfer4j.serve;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import org.transfer4j.data.DecodeOptions;
import org.transfer4j.data.ImageDecoder;

/** Reading a request's image: the body within a size limit, a multipart part, and decoding it. */
final class RequestBodies {

    private RequestBodies() {
    }

    /**
     * The request body, refused with 413 when declared or found larger than the limit (never read past
     * it). A declared size over the limit is refused before any of it is read: a client that sends
     * {@code Expect: 100-continue} gets the 413 before sending the body; one that sends it anyway may find
     * the connection closed after the answer.
     */
    static byte[] body(Context ctx, long limit) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            throw new HttpError(413, "the body has " + declared + " bytes, more than the limit of " + limit
                    + " (--max-bytes)");
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (bytes.length > limit) {
                throw new HttpError(413, "the body is more than the limit of " + limit + " bytes (--max-bytes)");
            }
            if (bytes.length == 0) {
                throw new HttpError(400, "the body is empty; send an image (or JSON for /infer)");
            }
            return bytes;
        }
    }

    /**
     * Decodes an image for the model (an upright JPEG stays in the reader's BGR layout, which
     * preprocessing reads without a copy), or answers {@code status} (415, or 400 inside JSON) naming
     * what is wrong.
     */
    static BufferedImage decode(byte[] bytes, String name, int status) {
        try {
            return ImageDecoder.decodeForPreprocessing(bytes, name, DecodeOptions.defaults());
        } catch (IOException | RuntimeException e) {
            throw new HttpError(status, "not a readable image: " + e.getMessage());
        }
    }

    /** The {@code data} part of a multipart upload (as TorchServe's {@code curl -F data=@image.jpg}). */
    static byte[] multipartData(Context ctx, long maxBytes) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes + 65_536) {
            throw new HttpError(413, "the body has " + declared + " bytes, more than the limit of " + maxBytes
                    + " (--max-bytes)");
        }
        UploadedFile part;
        try {
            part = ctx.uploadedFile("data");
        } catch (RuntimeException e) {
            throw new HttpError(400, "malformed multipart body: " + e.getMessage());
        }
        if (part == null) {
            throw new HttpError(400, "the multipart body has no 'data' part; send the image as data=@image.jpg");
        }
        if (part.size() > maxBytes) {
            throw new HttpError(413, "the 'data' part has " + part.size() + " bytes, more than --max-bytes "
                    + maxBytes);
        }
        try (InputStream in = part.content()) {
            byte[] bytes = in.readAllBytes();
            if (bytes.length == 0) {
                throw new HttpError(400, "the 'data' part is empty; send an image");
            }
            return bytes;
        }
    }
}
