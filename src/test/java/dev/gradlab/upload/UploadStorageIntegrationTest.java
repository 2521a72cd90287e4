package dev.gradlab.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gradlab.access.Caller;
import dev.gradlab.dataset.UploadedData;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/** An upload is stored in one transaction: a failure in its last block leaves nothing of it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class UploadStorageIntegrationTest {

    @Autowired
    DatasetUploads uploads;

    @Autowired
    UploadedDatasetStore store;

    @Autowired
    JdbcTemplate jdbc;

    private long count(String table) {
        Long n = jdbc.queryForObject("select count(*) from " + table, Long.class);
        return n == null ? 0 : n;
    }

    /** Many rows of a wide table: several blocks. */
    private static ParsedUpload wide(long salt) throws IOException {
        StringBuilder csv = new StringBuilder();
        for (int j = 0; j < 2000; j++) {
            csv.append('f').append(j).append(',');
        }
        csv.append("y\n");
        for (int i = 0; i < 300; i++) {
            for (int j = 0; j < 2000; j++) {
                csv.append((i * 31 + j + salt) % 97).append(',');
            }
            csv.append(i % 2).append('\n');
        }
        return CsvDatasetParserTest.parse(csv.toString());
    }

    @Test
    void aFailureWhileStoringTheLastBlockLeavesNothingBehind() throws IOException {
        ParsedUpload good = wide(1);
        assertThat(good.blocks()).hasSize(6); // 50 rows per block at 2,000 features
        List<UploadedData.Block> broken = new ArrayList<>(good.blocks());
        UploadedData.Block last = broken.get(5);
        broken.set(5, new UploadedData.Block(last.firstRow(), null, last.labels())); // features NOT NULL
        ParsedUpload failing = new ParsedUpload(
                good.rows(),
                good.features(),
                good.classes(),
                good.classRows(),
                good.labelColumn(),
                good.csvBytes(),
                good.sha256(),
                broken);
        long datasets = count("uploaded_dataset");
        long blocks = count("uploaded_dataset_block");

        assertThatThrownBy(() -> uploads.store(Caller.LOCAL_ADMIN, failing, "broken"))
                .isInstanceOf(DataIntegrityViolationException.class);

        assertThat(count("uploaded_dataset")).isEqualTo(datasets);
        assertThat(count("uploaded_dataset_block")).isEqualTo(blocks);
        assertThat(store.findBySha256("local", good.sha256())).isEmpty();
        // The same upload, whole, then stores: its rows were not kept half-written, nor its hash taken.
        DatasetUploads.Upload stored = uploads.store(Caller.LOCAL_ADMIN, good, "whole");
        assertThat(stored.created()).isTrue();
        assertThat(count("uploaded_dataset_block")).isEqualTo(blocks + 6);
        assertThat(uploads.store(Caller.LOCAL_ADMIN, wide(1), "again").dataset().id())
                .isEqualTo(stored.dataset().id());
    }

    @Test
    void theStoredBlocksReadBackAsParsed() throws IOException {
        ParsedUpload parsed = wide(2);
        DatasetDetails d = uploads.store(Caller.LOCAL_ADMIN, parsed, null).dataset();
        assertThat(d.name()).isNull();
        List<UploadedData.Block> read = new ArrayList<>();
        store.readBlocks(d.id(), read::add);
        assertThat(read).hasSize(parsed.blocks().size());
        for (int i = 0; i < read.size(); i++) {
            assertThat(read.get(i).firstRow()).isEqualTo(parsed.blocks().get(i).firstRow());
            assertThat(read.get(i).features()).isEqualTo(parsed.blocks().get(i).features());
            assertThat(read.get(i).labels()).isEqualTo(parsed.blocks().get(i).labels());
        }
        assertThat(store.header(d.id()).orElseThrow())
                .isEqualTo(new UploadedData.Header(300, 2000, 2, parsed.sha256()));
    }
}
