package dev.gradlab.dataset;

import dev.gradlab.spec.DatasetName;
import java.util.List;
import java.util.Map;

/**
 * The four gzipped IDX files of an MNIST-format dataset, with the SHA-256 of each published {@code .gz} file, and
 * the cache folder they live in.
 * <p>
 * The checksums are the ones published with widely used loaders, which agree with each other: for MNIST,
 * TensorFlow Datasets' and PyTorch's mirrors and their loaders' checksum tables; for Fashion-MNIST, the
 * SHA-256 sums listed by independent loaders of Zalando's files (Zalando's README publishes MD5 sums). They could
 * not be checked against the files themselves here (no internet access): see docs/DATASETS.md.
 *
 * @param property the configuration property naming the URL they are fetched from
 */
record ImageFiles(
        String folder,
        String property,
        IdxFile trainImages,
        IdxFile trainLabels,
        IdxFile testImages,
        IdxFile testLabels) {

    static final ImageFiles MNIST = new ImageFiles(
            "mnist",
            "gradlab.datasets.mnist-url",
            new IdxFile(
                    "train-images-idx3-ubyte.gz", "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
            new IdxFile(
                    "train-labels-idx1-ubyte.gz", "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
            new IdxFile(
                    "t10k-images-idx3-ubyte.gz", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
            new IdxFile(
                    "t10k-labels-idx1-ubyte.gz", "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"));

    static final ImageFiles FASHION_MNIST = new ImageFiles(
            "fashion-mnist",
            "gradlab.datasets.fashion-mnist-url",
            new IdxFile(
                    "train-images-idx3-ubyte.gz", "08dc20ab1689590a0bcd66e874647b6ee8464e2d501b5a3f1f78831db19a3fdc"),
            new IdxFile(
                    "train-labels-idx1-ubyte.gz", "b0197879cbda89f3dc7b894f9fd52b858e68ea4182b6947c9d8c2b67e5f18dcc"),
            new IdxFile(
                    "t10k-images-idx3-ubyte.gz", "78dcbbfb5a27efaf1b6c1d616caca68560be8766c5bffcb2791df9273a534229"),
            new IdxFile(
                    "t10k-labels-idx1-ubyte.gz", "42bd18137a62d5998cdeae52bf3a0676ac6b706f5cf8439b47bb5b151ae3dccf"));

    /** The fetched datasets, by name. */
    static final Map<DatasetName, ImageFiles> PUBLISHED =
            Map.of(DatasetName.MNIST, MNIST, DatasetName.FASHION_MNIST, FASHION_MNIST);

    List<IdxFile> all() {
        return List.of(trainImages, trainLabels, testImages, testLabels);
    }
}
