package dev.gradlab.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The folder of fetched dataset files, shared by every job (and possibly several instances). A file is used
 * only after its SHA-256 matches. A missing or damaged one is fetched under a lock — a JVM-wide lock per file,
 * then an OS file lock that other processes honour — into a temporary file in the same folder, checked, and
 * moved into place in one atomic rename: a reader sees the whole verified file or none, and two jobs (or
 * instances) wanting it at once make one download.
 */
final class DatasetCache {

    /** Larger than any published file (Fashion-MNIST's training images, 26 MB): a mirror sending more is wrong. */
    static final long MAX_FILE_BYTES = 128L << 20;

    /** One lock per file for all caches of this JVM: FileChannel.lock refuses a second lock from the same JVM. */
    static final ConcurrentHashMap<Path, ReentrantLock> FETCHING = new ConcurrentHashMap<>();

    private final Path root;
    private final Duration fetchTimeout;
    /** Made on the first fetch: most caches never fetch, and a client starts a thread. */
    private HttpClient http;

    DatasetCache(Path root, Duration fetchTimeout) {
        this.root = root.toAbsolutePath().normalize();
        this.fetchTimeout = fetchTimeout;
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
        }
        return http;
    }

    Path folder(ImageFiles files) {
        return root.resolve(files.folder());
    }

    /**
     * The verified file, fetched first if it is missing or damaged.
     *
     * @param from the folder URL to fetch from; null when fetching is off
     * @throws DatasetUnavailableException saying which file, where it belongs, its checksum and what failed
     */
    Path obtain(String dataset, ImageFiles files, IdxFile file, URI from) {
        Path folder = folder(files);
        Path target = folder.resolve(file.name());
        String found = checksumIfPresent(target);
        if (file.sha256().equals(found)) {
            return target;
        }
        if (from == null) {
            throw unavailable(dataset, files, file, found, "fetching is off (" + files.property() + " is empty)");
        }
        ReentrantLock local = FETCHING.computeIfAbsent(target, t -> new ReentrantLock());
        local.lock();
        try {
            Files.createDirectories(folder);
            try (FileChannel channel = FileChannel.open(
                            folder.resolve("." + file.name() + ".lock"),
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE);
                    FileLock ignored = channel.lock()) {
                // Whoever held the lock before us may have fetched it.
                found = checksumIfPresent(target);
                if (file.sha256().equals(found)) {
                    return target;
                }
                URI url = from.resolve(file.name());
                String failure = fetch(url, folder, target, file);
                if (failure != null) {
                    throw unavailable(dataset, files, file, found, "fetching it from " + url + " failed: " + failure);
                }
                return target;
            }
        } catch (IOException e) {
            throw unavailable(dataset, files, file, found, "the cache folder cannot be written: " + reason(e));
        } finally {
            local.unlock();
        }
    }

    /** Downloads into a temporary file beside the target and renames it into place once its checksum matches. */
    private String fetch(URI url, Path folder, Path target, IdxFile file) throws IOException {
        Path part = Files.createTempFile(folder, "." + file.name() + ".", ".part");
        try {
            HttpResponse<InputStream> response = http().send(
                            HttpRequest.newBuilder(url)
                                    .timeout(fetchTimeout)
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofInputStream());
            String sha;
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    return "HTTP " + response.statusCode();
                }
                sha = copy(body, part);
            }
            if (sha == null) {
                return "the server sent more than " + (MAX_FILE_BYTES >> 20) + " MB";
            }
            if (!sha.equals(file.sha256())) {
                return "the file it sent has SHA-256 " + sha + " (damaged, or a different file); it was not kept";
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (IOException e) {
            return reason(e);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** @return the SHA-256 of what was written, or null if the body passed {@link #MAX_FILE_BYTES} */
    private static String copy(InputStream body, Path part) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(part)) {
            for (int n; (n = body.read(buffer)) >= 0; ) {
                total += n;
                if (total > MAX_FILE_BYTES) {
                    return null;
                }
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The file's SHA-256 in lower-case hex, or null if there is no such file. */
    static String checksumIfPresent(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        MessageDigest digest = sha256();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private DatasetUnavailableException unavailable(
            String dataset, ImageFiles files, IdxFile file, String found, String why) {
        String state =
                found == null ? "it is not there" : "the file there has SHA-256 " + found + ", not the published one";
        return new DatasetUnavailableException(dataset + " needs " + file.name() + " (SHA-256 " + file.sha256()
                + ") in " + folder(files) + ", and " + state + "; " + why + ". Put the published file in that "
                + "folder, or set " + files.property() + " to a mirror that has it, and run the job again.");
    }

    private static String reason(IOException e) {
        if (e instanceof ConnectException) {
            return "connection refused" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
        }
        if (e instanceof HttpTimeoutException) {
            return "timed out";
        }
        if (e instanceof UnknownHostException) {
            return "unknown host " + e.getMessage();
        }
        String kind = e.getClass().getSimpleName().replaceAll("Exception$", "").replaceAll("([a-z])([A-Z])", "$1 $2");
        return kind.toLowerCase(Locale.ROOT) + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
