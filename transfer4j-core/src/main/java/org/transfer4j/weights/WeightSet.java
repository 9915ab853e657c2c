package org.transfer4j.weights;

import org.transfer4j.data.Preprocessing;

/**
 * One published set of pretrained weights, described well enough to find, verify and use it.
 *
 * @param backbone the user-facing backbone name ({@code mobilenet_v2})
 * @param tag short name of this set among the backbone's ({@code torchvision}, {@code tflite-quant})
 * @param architecture the graph it loads into (see {@code Architectures})
 * @param format how the file is written
 * @param fileName the official file name, used to find it in a weights folder
 * @param url where the file is published
 * @param sha256 full SHA-256 of the file, or a leading prefix (torchvision puts 8 hex digits in the name)
 * @param preprocessing what the weights expect of an image
 * @param labels how the pretrained head's outputs are numbered
 * @param top1 published ImageNet top-1 accuracy in percent, or NaN when not published
 * @param licence licence of the weights
 */
public record WeightSet(String backbone, String tag, String architecture, Format format, String fileName,
                        String url, String sha256, Preprocessing preprocessing, Labels labels, double top1,
                        String licence) {

    /** File formats transfer4j reads. */
    public enum Format {
        /** A PyTorch state_dict saved with torch.save. */
        PTH,
        /** A TensorFlow Lite flatbuffer (quantised weights are dequantised). */
        TFLITE,
        /** A Keras HDF5 file: a whole model ({@code model.save}) or its weights ({@code save_weights}). */
        KERAS_H5,
        /** A TorchScript archive of a quantized PyTorch model (its int8 weights are dequantised). */
        TORCHSCRIPT
    }

    /** Numbering of the pretrained classifier's outputs. */
    public enum Labels {
        /** The 1000 ImageNet classes in the standard synset order. */
        IMAGENET_1000,
        /** TensorFlow's 1001 outputs: index 0 is "background", then the 1000 classes. */
        IMAGENET_1001,
        /** No classifier: a feature extractor only. */
        NONE
    }

    /** {@code backbone:tag}, the name users can pin a weight set by. */
    public String id() {
        return backbone + ":" + tag;
    }
}
