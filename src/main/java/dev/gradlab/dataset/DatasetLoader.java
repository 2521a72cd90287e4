package dev.gradlab.dataset;

import dev.gradlab.spec.DatasetName;
import dev.gradlab.spec.DatasetSpec;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * A job's data: generated ones and the bundled digits from {@link DatasetFactory}; mnist and fashion-mnist from
 * the dataset cache ({@code gradlab.datasets.*}), fetched there on first use and checked by SHA-256 every time
 * they are read; users' uploads from {@link UploadedDatasets} (the database), checked by their content hash.
 * Thread-safe: jobs on every queue thread share one loader and one cache.
 */
@Component
public class DatasetLoader {

    private final DatasetCache cache;
    private final Map<DatasetName, ImageFiles> published;
    private final Map<DatasetName, URI> urls;
    private final UploadedDatasets uploads;

    @Autowired
    public DatasetLoader(DatasetProperties properties, UploadedDatasets uploads) {
        this(properties, ImageFiles.PUBLISHED, uploads);
    }

    /** Without uploads (a job naming one fails, readably): for code that runs without the database. */
    public DatasetLoader(DatasetProperties properties) {
        this(properties, ImageFiles.PUBLISHED, UploadedDatasets.NONE);
    }

    /** @param published the fetched datasets' files and checksums (tests and benchmarks pass their own) */
    DatasetLoader(DatasetProperties properties, Map<DatasetName, ImageFiles> published) {
        this(properties, published, UploadedDatasets.NONE);
    }

    private DatasetLoader(
            DatasetProperties properties, Map<DatasetName, ImageFiles> published, UploadedDatasets uploads) {
        this.uploads = uploads;
        this.cache = new DatasetCache(properties.cacheDir(), properties.fetchTimeout());
        this.published = Map.copyOf(published);
        Map<DatasetName, URI> folders = new HashMap<>();
        put(folders, DatasetName.MNIST, DatasetProperties.folderUrl("mnist-url", properties.mnistUrl()));
        put(
                folders,
                DatasetName.FASHION_MNIST,
                DatasetProperties.folderUrl("fashion-mnist-url", properties.fashionMnistUrl()));
        this.urls = folders;
    }

    private static void put(Map<DatasetName, URI> folders, DatasetName name, URI url) {
        if (url != null) {
            folders.put(name, url);
        }
    }

    /** The default cache ({@code ./data/datasets}) and mirrors: for code that runs without Spring. */
    public static DatasetLoader withDefaults() {
        return new DatasetLoader(DatasetProperties.defaults());
    }

    /**
     * @param spec a dataset spec with defaults filled in
     * @throws DatasetUnavailableException when a recorded dataset's file is missing and cannot be fetched
     */
    public SplitDataset load(DatasetSpec spec) {
        if (spec.name().uploaded()) {
            SplitDataset drawn = UploadDraw.draw(uploads, spec);
            return Boolean.TRUE.equals(spec.standardize()) ? Standardization.standardize(drawn) : drawn;
        }
        ImageFiles files = published.get(spec.name());
        if (files == null) {
            return DatasetFactory.generate(spec);
        }
        String label = spec.name().label();
        URI from = urls.get(spec.name());
        // Every file before reading any: a job missing one learns it before decoding the others.
        Path trainImages = cache.obtain(label, files, files.trainImages(), from);
        Path trainLabels = cache.obtain(label, files, files.trainLabels(), from);
        Path testImages = cache.obtain(label, files, files.testImages(), from);
        Path testLabels = cache.obtain(label, files, files.testLabels(), from);
        SplittableRandom random = new SplittableRandom(spec.seed());
        Samples train = draw(spec, trainImages, trainLabels, spec.trainSamples(), random);
        Samples test = draw(spec, testImages, testLabels, spec.testSamples(), random);
        return new SplitDataset(train, test);
    }

    /**
     * {@code wanted} examples of one published part (training or test), chosen by a shuffle of all of them: a
     * smaller draw with the same seed is a subset of a larger one.
     */
    private static Samples draw(DatasetSpec spec, Path images, Path labelsFile, int wanted, SplittableRandom random) {
        byte[] labels = IdxReader.readLabels(labelsFile);
        int count = labels.length;
        if (wanted > count) {
            throw new DatasetUnavailableException(
                    spec.name().label() + ": " + labelsFile + " has " + count + " examples; " + wanted + " asked for");
        }
        int[] order = Permutations.shuffled(count, random);
        int[] slotOf = new int[count];
        Arrays.fill(slotOf, -1);
        int classes = spec.outputs();
        int[] chosen = new int[wanted];
        for (int k = 0; k < wanted; k++) {
            slotOf[order[k]] = k;
            chosen[k] = labels[order[k]] & 0xFF;
            if (chosen[k] >= classes) {
                throw new DatasetUnavailableException(labelsFile + " has label " + chosen[k] + " at example " + order[k]
                        + "; expected 0.." + (classes - 1));
            }
        }
        int pixels = spec.inputFeatures();
        float[] features = new float[Math.multiplyExact(wanted, pixels)];
        IdxReader.readImages(images, count, pixels, slotOf, features);
        return new Samples(features, chosen, pixels, classes);
    }
}
