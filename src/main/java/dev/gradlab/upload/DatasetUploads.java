package dev.gradlab.upload;

import dev.gradlab.access.Caller;
import dev.gradlab.job.CommitFlusher;
import dev.gradlab.job.JobService;
import dev.gradlab.quota.OwnerQuotas;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Users' datasets: an upload is parsed whole (streaming, into floats; see {@link CsvDatasetParser}) before anything
 * is stored, then stored in one transaction, so a refused or failed upload leaves nothing. The same content twice
 * is one dataset per owner (its content hash is unique per owner). Every method takes the caller: another owner's
 * dataset is not found by the query, exactly like an id that does not exist. A dataset that a queued or running job needs cannot be deleted.
 */
@Service
public class DatasetUploads {

    private final UploadedDatasetStore store;
    private final JobService jobs;
    private final TransactionTemplate transactions;
    private final CommitFlusher flusher;
    private final UploadProperties properties;
    private final OwnerQuotas quotas;
    /** Each upload being parsed holds its floats: at most this many at once. */
    private final Semaphore parsing;

    DatasetUploads(
            UploadedDatasetStore store,
            JobService jobs,
            TransactionTemplate transactions,
            CommitFlusher flusher,
            UploadProperties properties,
            OwnerQuotas quotas) {
        this.store = store;
        this.jobs = jobs;
        this.transactions = transactions;
        this.flusher = flusher;
        this.properties = properties;
        this.quotas = quotas;
        this.parsing = new Semaphore(properties.concurrency());
    }

    /** The dataset, and whether this upload created it (false: the same content was uploaded before). */
    public record Upload(DatasetDetails dataset, boolean created) {}

    /** The limits an upload must keep. */
    public UploadProperties limits() {
        return properties;
    }

    /**
     * Parses a CSV from {@code csv} and stores it as {@code caller}'s, or finds their dataset with the same content.
     *
     * @param label the label column's name, or null for the last column
     * @param name  a name to show, or null
     * @throws InvalidCsvException   naming the line and column of the first problem; nothing is stored
     * @throws UploadsBusyException  when {@code gradlab.datasets.upload.concurrency} uploads are being parsed
     * @throws dev.gradlab.quota.QuotaExceededException when the caller's uploads would take more than their
     *                               dataset-bytes quota (checked before parsing too, if they have no room at all)
     * @throws IOException           when reading the body fails
     */
    public Upload upload(Caller caller, InputStream csv, String label, String name) throws IOException {
        boolean limited = quotas.limits(caller);
        if (limited) {
            quotas.admitDatasetBytes(true, store.storedBytes(caller.owner()), 0);
        }
        if (!parsing.tryAcquire()) {
            throw new UploadsBusyException(properties.concurrency());
        }
        try {
            return store(caller, CsvDatasetParser.parse(csv, label, properties), name);
        } finally {
            parsing.release();
        }
    }

    /**
     * Stores a parsed upload in one transaction (all of it or nothing), or finds the same content stored. The
     * dataset-bytes quota is checked inside it, under the owner's lock.
     */
    Upload store(Caller caller, ParsedUpload parsed, String name) {
        String owner = caller.owner();
        boolean limited = quotas.limits(caller);
        DatasetDetails known = store.findBySha256(owner, parsed.sha256()).orElse(null);
        if (known != null) {
            return new Upload(known, false);
        }
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS); // PostgreSQL keeps microseconds
        try {
            if (limited) {
                quotas.prepare(owner);
            }
            transactions.executeWithoutResult(tx -> {
                if (limited) {
                    quotas.lock(owner);
                    quotas.admitDatasetBytes(true, store.storedBytes(owner), parsed.storedBytes());
                }
                store.insert(id, owner, name, parsed, now);
            });
        } catch (DataIntegrityViolationException e) {
            // The same content, uploaded at the same moment, was stored first (the hash is unique): that one.
            return new Upload(store.findBySha256(owner, parsed.sha256()).orElseThrow(() -> e), false);
        }
        flusher.flush(); // the 201 promises the dataset survives a crash
        return new Upload(store.details(id, owner).orElseThrow(() -> new DatasetNotFoundException(id)), true);
    }

    /** The bytes the caller's own datasets take in storage (what their dataset-bytes quota counts). */
    public long storedBytes(Caller caller) {
        return store.storedBytes(caller.owner());
    }

    /** @throws DatasetNotFoundException when there is none that {@code caller} sees */
    public DatasetDetails get(UUID id, Caller caller) {
        return store.details(id, caller.ownerFilter()).orElseThrow(() -> new DatasetNotFoundException(id));
    }

    /** The caller's datasets (an admin's: every owner's), newest first. */
    public DatasetPage list(Caller caller, int page, int size) {
        String owner = caller.ownerFilter();
        return new DatasetPage(store.page(owner, page, size), page, size, store.count(owner));
    }

    /**
     * Deletes the dataset and its rows. In one transaction that first locks its row: a job submitted at the same
     * moment either is counted here (and the delete refused) or fails its insert (the job is refused, 400).
     *
     * @throws DatasetNotFoundException when there is none that {@code caller} sees
     * @throws DatasetInUseException    while a QUEUED or RUNNING job trains on it
     */
    public void delete(UUID id, Caller caller) {
        transactions.executeWithoutResult(tx -> {
            if (!store.lock(id, caller.ownerFilter())) {
                throw new DatasetNotFoundException(id);
            }
            long using = jobs.countUnfinishedUsingDataset(id);
            if (using > 0) {
                throw new DatasetInUseException(id, using);
            }
            store.delete(id);
        });
        flusher.flush();
    }
}
