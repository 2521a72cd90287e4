package dev.gradlab.web;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gradlab.upload.DatasetDetails;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@Schema(name = "Dataset", description = "A user's uploaded dataset, stored parsed (float32), not as CSV text")
@JsonInclude(JsonInclude.Include.NON_NULL)
record DatasetResponse(
        @Schema(requiredMode = REQUIRED, description = "Use it as the spec's dataset.id, with dataset.name upload")
        UUID id,

        @Schema(description = "The name given (name=) when it was first uploaded; left out when none was")
        String name,

        @Schema(
                requiredMode = REQUIRED,
                description = "Who may see it: the owner of the API key that created it (`local` in local mode and "
                        + "for data from before owners existed). Admins see every owner's",
                example = "alice")
        String owner,

        @Schema(requiredMode = REQUIRED, minimum = "1", description = "Data rows (examples)")
        int rows,

        @Schema(requiredMode = REQUIRED, minimum = "1", description = "Feature columns: the net's inputs")
        int features,

        @Schema(
                requiredMode = REQUIRED,
                minimum = "2",
                description = "The largest label + 1: the net's outputs (labels are class numbers 0, 1, 2, …)")
        int classes,

        @Schema(requiredMode = REQUIRED, description = "Rows per class, class 0 first (a class may have none)")
        List<Integer> classRows,

        @Schema(requiredMode = REQUIRED, description = "The label column's name in the header")
        String labelColumn,

        @Schema(requiredMode = REQUIRED, minimum = "1", description = "Size of the CSV as first uploaded")
        long bytes,

        @Schema(
                requiredMode = REQUIRED,
                minimum = "8",
                description = "Size as stored: 4 bytes per feature value and per label (float32, int32)")
        long storedBytes,

        @Schema(
                requiredMode = REQUIRED,
                pattern = "^[0-9a-f]{64}$",
                description = "SHA-256 of the parsed content, not of the CSV's bytes: all features as float32 "
                        + "little-endian, row by row, then all labels as int32 little-endian, then the row count and "
                        + "the feature count as int32 little-endian. CSVs with the same numbers (1 and 1.0, other "
                        + "column names, CRLF or LF) are one dataset")
        String sha256,

        @Schema(requiredMode = REQUIRED) Instant createdAt) {

    static DatasetResponse from(DatasetDetails d) {
        return new DatasetResponse(
                d.id(),
                d.name(),
                d.owner(),
                d.rows(),
                d.features(),
                d.classes(),
                d.classRows(),
                d.labelColumn(),
                d.csvBytes(),
                d.storedBytes(),
                d.sha256(),
                d.createdAt());
    }
}
