package dev.gradlab.web;

import dev.gradlab.access.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

@RestController
@Tag(name = "Jobs")
class JobEventController {

    private final JobEventStreams streams;

    JobEventController(JobEventStreams streams) {
        this.streams = streams;
    }

    @GetMapping(path = "/api/v1/jobs/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(
            summary = "Follow a job live (server-sent events)",
            description = "A `job` event at once with the job's status and progress, then one whenever they (or a "
                    + "queued job's place in the queue) change "
                    + "(checked every second, from the database: it works whichever instance trains the job), a "
                    + "`: heartbeat` comment every 15 s otherwise, and a last `job` event when the job has finished, "
                    + "after which the stream ends. Curves are stored up to `iteration`: fetch the new range with "
                    + "`from`. Each event's data is JSON: `id`, `status`, `queuePosition` (while QUEUED, as in the Job), "
                    + "`iteration`, `totalIterations`, `epoch`, `totalEpochs`, as in the Job's `progress`.")
    @ApiResponse(
            responseCode = "200",
            description = "The event stream",
            content =
                    @Content(
                            mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
                            schema = @Schema(type = "string"),
                            examples = @ExampleObject(name = "finished", value = EVENTS_EXAMPLE)))
    @ApiResponse(responseCode = "400", description = "The id is not a UUID")
    @ApiResponse(responseCode = "404", description = "No such job")
    @ApiResponse(
            responseCode = "503",
            description = "This instance serves as many event streams as it allows "
                    + "(gradlab.api.max-event-streams; code `too-many-event-streams`): poll GET /api/v1/jobs/{id} "
                    + "instead. Or the database cannot be reached just now (code `database-unavailable`, answered "
                    + "within about 2 s); an open stream stays open through an outage, with heartbeats only",
            headers =
                    @Header(
                            name = "Retry-After",
                            required = true,
                            description = "Seconds to wait before opening a stream again",
                            schema = @Schema(type = "integer", minimum = "1")))
    SseEmitter events(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        return streams.open(id, caller);
    }

    static final String EVENTS_EXAMPLE = """
            event:job
            data:{"id":"babdab0e-dfce-4f01-be4d-88c169b9db09","status":"SUCCEEDED","iteration":520,\
            "totalIterations":520,"epoch":40,"totalEpochs":40}

            """;
}
