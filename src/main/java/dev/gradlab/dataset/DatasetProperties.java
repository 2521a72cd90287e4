package dev.gradlab.dataset;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code gradlab.datasets.*}: where the fetched datasets (mnist, fashion-mnist) are kept, and where they are
 * fetched from. The cache is shared by every job of the instance, and may be shared by several instances (a
 * fetch takes a file lock and moves a verified file into place in one step).
 *
 * @param cacheDir        one folder per dataset, each holding the four published {@code .gz} IDX files; a person
 *                        without internet access puts them there by hand
 * @param mnistUrl        folder URL the MNIST files are fetched from ({@code <url>/train-images-idx3-ubyte.gz},
 *                        …); empty: never fetch, use only what is in the cache
 * @param fashionMnistUrl the same for Fashion-MNIST
 * @param fetchTimeout    longest one file's download may take
 */
@ConfigurationProperties("gradlab.datasets")
public record DatasetProperties(Path cacheDir, String mnistUrl, String fashionMnistUrl, Duration fetchTimeout) {

    public static final Path DEFAULT_CACHE_DIR = Path.of("data", "datasets");
    /** The copy TensorFlow's datasets fetch from (Yann LeCun's own page often refuses automated downloads). */
    public static final String DEFAULT_MNIST_URL = "https://storage.googleapis.com/cvdf-datasets/mnist/";
    /** Where Zalando Research publishes Fashion-MNIST (S3 website hosting, plain HTTP; the checksum guards it). */
    public static final String DEFAULT_FASHION_MNIST_URL =
            "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";

    public DatasetProperties {
        cacheDir = cacheDir == null ? DEFAULT_CACHE_DIR : cacheDir;
        mnistUrl = mnistUrl == null ? DEFAULT_MNIST_URL : mnistUrl.strip();
        fashionMnistUrl = fashionMnistUrl == null ? DEFAULT_FASHION_MNIST_URL : fashionMnistUrl.strip();
        fetchTimeout = fetchTimeout == null ? Duration.ofMinutes(10) : fetchTimeout;
        if (fetchTimeout.isNegative() || fetchTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "gradlab.datasets.fetch-timeout must be positive (was " + fetchTimeout + ")");
        }
        folderUrl("mnist-url", mnistUrl);
        folderUrl("fashion-mnist-url", fashionMnistUrl);
    }

    public static DatasetProperties defaults() {
        return new DatasetProperties(null, null, null, null);
    }

    /**
     * The folder URL a property names, ending in '/' so a file name resolves inside it; null when the property is
     * empty (fetching off).
     */
    static URI folderUrl(String property, String value) {
        if (value.isEmpty()) {
            return null;
        }
        URI uri;
        try {
            uri = URI.create(value.endsWith("/") ? value : value + "/");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("gradlab.datasets." + property + " is not a URL (was " + value + ")", e);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException(
                    "gradlab.datasets." + property + " must be an http or https URL, or empty (was " + value + ")");
        }
        return uri;
    }
}
