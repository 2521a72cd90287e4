package dev.gradlab.upload;

import dev.gradlab.dataset.DatasetUnavailableException;
import dev.gradlab.dataset.UploadedData;
import dev.gradlab.dataset.UploadedDatasets;
import dev.gradlab.spec.UploadCatalog;
import java.nio.ByteBuffer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/**
 * The uploaded datasets' tables ({@code uploaded_dataset}, {@code uploaded_dataset_block}), in plain JDBC: blocks
 * are written one statement each and read one query each, so neither side handles more than one block's bytes
 * beyond the floats (a single query for all blocks would have PostgreSQL's driver buffer them all). What training
 * reads ({@link UploadedDatasets}) and what the validator asks ({@link UploadCatalog}) come from here, so any
 * instance sharing the database can train on any upload.
 */
@Repository
class UploadedDatasetStore implements UploadedDatasets, UploadCatalog {

    private static final String COLUMNS =
            "id, owner, name, row_count, feature_count, class_count, class_rows, label_column,"
                    + " csv_bytes, stored_bytes, sha256, created_at";

    private final JdbcTemplate jdbc;

    UploadedDatasetStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores a parsed upload: call inside a transaction, so that a failure leaves nothing of it. */
    void insert(UUID id, String owner, String name, ParsedUpload upload, Instant createdAt) {
        ByteBuffer classRows = UploadedData.littleEndian(new byte[upload.classes() * Integer.BYTES]);
        for (int count : upload.classRows()) {
            classRows.putInt(count);
        }
        jdbc.update(
                "insert into uploaded_dataset (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ps -> {
                    ps.setObject(1, id);
                    ps.setString(2, owner);
                    ps.setString(3, name);
                    ps.setInt(4, upload.rows());
                    ps.setInt(5, upload.features());
                    ps.setInt(6, upload.classes());
                    ps.setBytes(7, classRows.array());
                    ps.setString(8, upload.labelColumn());
                    ps.setLong(9, upload.csvBytes());
                    ps.setLong(10, upload.storedBytes());
                    ps.setString(11, upload.sha256());
                    ps.setObject(12, OffsetDateTime.ofInstant(createdAt, ZoneOffset.UTC));
                });
        List<UploadedData.Block> blocks = upload.blocks();
        for (int i = 0; i < blocks.size(); i++) {
            UploadedData.Block block = blocks.get(i);
            int index = i;
            jdbc.update(
                    "insert into uploaded_dataset_block (dataset_id, block_index, first_row, row_count, features, "
                            + "labels) values (?, ?, ?, ?, ?, ?)",
                    ps -> {
                        ps.setObject(1, id);
                        ps.setInt(2, index);
                        ps.setInt(3, block.firstRow());
                        ps.setInt(4, block.rows());
                        ps.setBytes(5, block.features());
                        ps.setBytes(6, block.labels());
                    });
        }
    }

    /*
     * Every read by id or list takes an owner: null for every owner's (an admin), else only that owner's rows match,
     * so another owner's dataset is missing from the answer itself, not filtered out after.
     */

    Optional<DatasetDetails> details(UUID id, String owner) {
        return (owner == null
                        ? jdbc.query("select " + COLUMNS + " from uploaded_dataset where id = ?", this::toDetails, id)
                        : jdbc.query(
                                "select " + COLUMNS + " from uploaded_dataset where id = ? and owner = ?",
                                this::toDetails,
                                id,
                                owner))
                .stream().findFirst();
    }

    Optional<DatasetDetails> findBySha256(String owner, String sha256) {
        return jdbc
                .query(
                        "select " + COLUMNS + " from uploaded_dataset where owner = ? and sha256 = ?",
                        this::toDetails,
                        owner,
                        sha256)
                .stream()
                .findFirst();
    }

    /** Newest first (ties by id, so pages never overlap). */
    List<DatasetDetails> page(String owner, int page, int size) {
        String order = " order by created_at desc, id desc limit ? offset ?";
        return owner == null
                ? jdbc.query(
                        "select " + COLUMNS + " from uploaded_dataset" + order,
                        this::toDetails,
                        size,
                        (long) page * size)
                : jdbc.query(
                        "select " + COLUMNS + " from uploaded_dataset where owner = ?" + order,
                        this::toDetails,
                        owner,
                        size,
                        (long) page * size);
    }

    /** The bytes {@code owner}'s datasets take in storage (their blocks). */
    long storedBytes(String owner) {
        Long n = jdbc.queryForObject(
                "select coalesce(sum(stored_bytes), 0) from uploaded_dataset where owner = ?", Long.class, owner);
        return n == null ? 0 : n;
    }

    long count(String owner) {
        Long n = owner == null
                ? jdbc.queryForObject("select count(*) from uploaded_dataset", Long.class)
                : jdbc.queryForObject("select count(*) from uploaded_dataset where owner = ?", Long.class, owner);
        return n == null ? 0 : n;
    }

    /**
     * Locks the dataset's row until the transaction ends; false when there is none (of {@code owner}'s, unless
     * null). A job insert that names it waits for this lock (its foreign key), or holds it first and makes this wait.
     */
    boolean lock(UUID id, String owner) {
        return !(owner == null
                        ? jdbc.queryForList("select id from uploaded_dataset where id = ? for update", id)
                        : jdbc.queryForList(
                                "select id from uploaded_dataset where id = ? and owner = ? for update", id, owner))
                .isEmpty();
    }

    /** Deletes the dataset and its blocks (the blocks by the foreign key's cascade, stated here too). */
    void delete(UUID id) {
        jdbc.update("delete from uploaded_dataset_block where dataset_id = ?", id);
        jdbc.update("delete from uploaded_dataset where id = ?", id);
    }

    @Override
    public Optional<UploadShape> find(UUID id, String owner) {
        String select = "select row_count, feature_count, class_count from uploaded_dataset where id = ?";
        RowMapper<UploadShape> shape = (rs, n) ->
                new UploadShape(rs.getInt("row_count"), rs.getInt("feature_count"), rs.getInt("class_count"));
        return (owner == null ? jdbc.query(select, shape, id) : jdbc.query(select + " and owner = ?", shape, id, owner))
                .stream().findFirst();
    }

    @Override
    public Optional<UploadedData.Header> header(UUID id) {
        return jdbc
                .query(
                        "select row_count, feature_count, class_count, sha256 from uploaded_dataset where id = ?",
                        (rs, n) -> new UploadedData.Header(
                                rs.getInt("row_count"),
                                rs.getInt("feature_count"),
                                rs.getInt("class_count"),
                                rs.getString("sha256")),
                        id)
                .stream()
                .findFirst();
    }

    @Override
    public void readBlocks(UUID id, Consumer<UploadedData.Block> each) {
        UploadedData.Header header = header(id)
                .orElseThrow(() -> new DatasetUnavailableException(
                        "uploaded dataset " + id + " is not there " + "any more (it was deleted)"));
        int blocks = (header.rows() + UploadedData.rowsPerBlock(header.features()) - 1)
                / UploadedData.rowsPerBlock(header.features());
        for (int i = 0; i < blocks; i++) {
            List<UploadedData.Block> one = jdbc.query(
                    "select first_row, features, labels from uploaded_dataset_block where dataset_id = ? and "
                            + "block_index = ?",
                    (rs, n) -> new UploadedData.Block(
                            rs.getInt("first_row"), rs.getBytes("features"), rs.getBytes("labels")),
                    id,
                    i);
            if (one.isEmpty()) {
                throw new DatasetUnavailableException("uploaded dataset " + id + " lost its block " + i + " of "
                        + blocks + " (deleted while it was read?)");
            }
            each.accept(one.get(0));
        }
    }

    private DatasetDetails toDetails(ResultSet rs, int row) throws SQLException {
        ByteBuffer counts = UploadedData.littleEndian(rs.getBytes("class_rows"));
        List<Integer> classRows = new ArrayList<>(counts.remaining() / Integer.BYTES);
        while (counts.remaining() >= Integer.BYTES) {
            classRows.add(counts.getInt());
        }
        return new DatasetDetails(
                rs.getObject("id", UUID.class),
                rs.getString("owner"),
                rs.getString("name"),
                rs.getInt("row_count"),
                rs.getInt("feature_count"),
                rs.getInt("class_count"),
                List.copyOf(classRows),
                rs.getString("label_column"),
                rs.getLong("csv_bytes"),
                rs.getLong("stored_bytes"),
                rs.getString("sha256"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
