package dev.gradlab.web;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import dev.gradlab.upload.DatasetPage;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

@Schema(name = "DatasetPage", description = "One page of uploaded datasets, newest first")
record DatasetPageResponse(
        @Schema(requiredMode = REQUIRED) List<DatasetResponse> items,
        @Schema(requiredMode = REQUIRED, minimum = "0") int page,

        @Schema(requiredMode = REQUIRED, minimum = "1", maximum = "100")
        int size,

        @Schema(requiredMode = REQUIRED, minimum = "0", description = "Uploaded datasets, on all pages")
        long total) {

    static DatasetPageResponse from(DatasetPage page) {
        return new DatasetPageResponse(
                page.items().stream().map(DatasetResponse::from).toList(), page.page(), page.size(), page.total());
    }
}
