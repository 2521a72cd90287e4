package dev.gradlab.web;

import dev.gradlab.access.Caller;
import dev.gradlab.upload.DatasetUploads;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

@RestController
@RequestMapping(path = DatasetController.PATH, produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(
        name = "Datasets",
        description = "Upload your own data as CSV and train on it: a job's spec names it as "
                + "\"dataset\": {\"name\": \"upload\", \"id\": \"<id>\"}")
class DatasetController {

    static final String PATH = "/api/v1/datasets";
    static final String CSV = "text/csv";

    private final DatasetUploads uploads;

    DatasetController(DatasetUploads uploads) {
        this.uploads = uploads;
    }

    @PostMapping(consumes = CSV)
    @Operation(
            summary = "Upload a dataset (CSV)",
            description = "A header row (the columns' names), then one row per example: numbers separated by "
                    + "commas. Every column is a feature except the label, the last column or the one named by "
                    + "`label`, which holds class numbers 0, 1, 2, … (the classes are 0 .. the largest label; at "
                    + "least two must occur). Cells may be quoted; spaces around them, blank lines, CRLF line ends "
                    + "and a UTF-8 byte order mark are fine; NaN and infinities are not. The body is parsed as it "
                    + "arrives and stored as float32 in the database (every instance sharing it can train on it), "
                    + "all or nothing: the first problem refuses the upload, naming its line and column (the header "
                    + "is line 1). The same content again (the same parsed numbers: see `sha256`) is the same "
                    + "dataset: 200 with the first upload's id, name and date, instead of 201. Limits: "
                    + "gradlab.datasets.upload.max-bytes (64 MB), max-rows (1,000,000), max-columns (4,096, the "
                    + "label's included), max-classes (1,000).",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content =
                                    @Content(
                                            mediaType = CSV,
                                            schema = @Schema(type = "string"),
                                            examples =
                                                    @ExampleObject(
                                                            name = "blobs",
                                                            summary =
                                                                    "30 rows, 3 features, 3 classes (made up for the example)",
                                                            value = DatasetExamples.CSV))))
    @ApiResponse(
            responseCode = "201",
            description = "Stored: a new dataset",
            headers =
                    @Header(
                            name = "Location",
                            required = true,
                            description = "Absolute URL of the dataset",
                            schema = @Schema(type = "string", format = "uri")),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = DatasetResponse.class),
                            examples = @ExampleObject(name = "blobs", value = DatasetExamples.DATASET)))
    @ApiResponse(
            responseCode = "200",
            description = "The same content was uploaded before: that dataset (its id, name and date); nothing new "
                    + "is stored",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = DatasetResponse.class)))
    @ApiResponse(
            responseCode = "400",
            description = "The CSV is refused (code invalid-csv): `detail`, `line` and `column` say where and what "
                    + "(ragged rows, a cell that is not a number or not finite, a label that is not a class number, "
                    + "one class only, no data rows, too many columns or classes); or a parameter is (code "
                    + "invalid-parameter: `label` names no column or several, `name` too long). Nothing is stored",
            content =
                    @Content(
                            mediaType = "application/problem+json",
                            schema = @Schema(implementation = ProblemBody.class),
                            examples = @ExampleObject(name = "notANumber", value = DatasetExamples.INVALID_CSV)))
    @ApiResponse(
            responseCode = "413",
            description = "Over gradlab.datasets.upload.max-bytes (code body-too-large) or max-rows (code "
                    + "too-many-rows); nothing is stored")
    @ApiResponse(responseCode = "415", description = "The body is not text/csv")
    @ApiResponse(
            responseCode = "429",
            description = "Nothing was stored. gradlab.datasets.upload.concurrency uploads are being parsed on "
                    + "this instance (code uploads-busy): retry after the Retry-After header's seconds; or the "
                    + "owner's datasets would take more than their quota (code quota-exceeded, `quota` "
                    + "dataset-bytes, no Retry-After: delete datasets first); or the key sent too many requests "
                    + "(code rate-limited)",
            headers =
                    @Header(
                            name = "Retry-After",
                            description = "Seconds to wait before retrying; absent for a quota that waiting "
                                    + "does not free",
                            schema = @Schema(type = "integer", minimum = "1")))
    ResponseEntity<DatasetResponse> upload(
            @Parameter(
                            description = "The label column's name in the header (default: the last column)",
                            schema = @Schema(type = "string", minLength = 1, maxLength = 1000))
                    @RequestParam(required = false)
                    String label,
            @Parameter(
                            description = "A name to show in lists (kept from the first upload of the same content)",
                            schema = @Schema(type = "string", maxLength = 200))
                    @RequestParam(required = false)
                    String name,
            HttpServletRequest request,
            @AuthenticationPrincipal Caller caller)
            throws IOException {
        if (label != null && label.isEmpty()) {
            throw new BadParameterException("label", "must name a column of the header (or be left out: the last)");
        }
        if (name != null && name.length() > 200) {
            throw new BadParameterException("name", "at most 200 characters");
        }
        if (name != null && name.indexOf('\u0000') >= 0) {
            // PostgreSQL text cannot hold NUL (H2's can): refuse it here rather than fail the insert with a 500.
            throw new BadParameterException("name", "must not contain NUL (\\u0000) characters");
        }
        DatasetUploads.Upload upload = uploads.upload(caller, request.getInputStream(), label, name);
        DatasetResponse body = DatasetResponse.from(upload.dataset());
        if (!upload.created()) {
            return ResponseEntity.ok(body);
        }
        URI location = ServletUriComponentsBuilder.fromCurrentRequestUri()
                .replaceQuery(null)
                .path("/{id}")
                .buildAndExpand(upload.dataset().id())
                .toUri();
        return ResponseEntity.status(HttpStatus.CREATED).location(location).body(body);
    }

    @GetMapping
    @Operation(summary = "Uploaded datasets, newest first, one page at a time")
    @ApiResponse(responseCode = "200", description = "A page of datasets with the total count")
    @ApiResponse(responseCode = "400", description = "A parameter is out of range")
    DatasetPageResponse list(
            @Parameter(
                            description = "Page number from 0",
                            schema = @Schema(type = "integer", format = "int32", minimum = "0", defaultValue = "0"))
                    @RequestParam(defaultValue = "0")
                    int page,
            @Parameter(
                            description = "Datasets per page",
                            schema =
                                    @Schema(
                                            type = "integer",
                                            format = "int32",
                                            minimum = "1",
                                            maximum = "100",
                                            defaultValue = "20"))
                    @RequestParam(defaultValue = "20")
                    int size,
            @AuthenticationPrincipal Caller caller) {
        PageParameters.check(page, size);
        return DatasetPageResponse.from(uploads.list(caller, page, size));
    }

    @GetMapping("/{id}")
    @Operation(summary = "An uploaded dataset: its shape, rows per class, sizes and content hash")
    @ApiResponse(
            responseCode = "200",
            description = "The dataset",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = DatasetResponse.class),
                            examples = @ExampleObject(name = "blobs", value = DatasetExamples.DATASET)))
    @ApiResponse(responseCode = "400", description = "The id is not a UUID")
    @ApiResponse(responseCode = "404", description = "No such dataset (code dataset-not-found)")
    DatasetResponse get(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        return DatasetResponse.from(uploads.get(id, caller));
    }

    @DeleteMapping("/{id}")
    @Operation(
            summary = "Delete an uploaded dataset",
            description = "Refused (409) while a QUEUED or RUNNING job trains on it; finished jobs keep their "
                    + "results and curves.")
    @ApiResponse(responseCode = "204", description = "Deleted, with all its rows")
    @ApiResponse(responseCode = "400", description = "The id is not a UUID")
    @ApiResponse(responseCode = "404", description = "No such dataset (code dataset-not-found)")
    @ApiResponse(
            responseCode = "409",
            description = "A queued or running job uses it (code dataset-in-use): cancel those jobs or let them "
                    + "finish, then delete it")
    ResponseEntity<Void> delete(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        uploads.delete(id, caller);
        return ResponseEntity.noContent().build();
    }
}
