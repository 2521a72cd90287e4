package dev.gradlab.web;

import dev.gradlab.access.Caller;
import dev.gradlab.job.JobDetails;
import dev.gradlab.job.JobService;
import dev.gradlab.profile.GradientProfile;
import dev.gradlab.profile.GradientProfiles;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(
        name = "Profiles",
        description = "How fast the gradient shrinks or grows on its way back: log₁₀ norm against dense layer (mlp) "
                + "or input step (rnn), the fitted slope in decades per layer or per step with its r², and beside it "
                + "the slope the mechanism predicts from the same run's recorded factors (docs/PROFILES.md).")
class ProfileController {

    static final int MAX_ITERATIONS = 8;

    private final JobService jobs;
    private final GradientProfiles profiles;

    ProfileController(JobService jobs, GradientProfiles profiles) {
        this.jobs = jobs;
        this.profiles = profiles;
    }

    @GetMapping(path = "/api/v1/jobs/{id}/profiles", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "A job's depth profile (mlp) or time profile (rnn), measured and predicted",
            description = "One profile per requested iteration (default: the first and the last recorded). Each "
                    + "iteration is taken as the last recorded at or before it. An mlp's profile covers its dense "
                    + "and output layers; an rnn's covers ‖∂L/∂x_t‖ on the probe batch, t = 1..T.")
    @ApiResponse(responseCode = "200", description = "The profiles, in the order asked")
    @ApiResponse(responseCode = "400", description = "A parameter is out of range, or the id is not a UUID")
    @ApiResponse(
            responseCode = "404",
            description = "No such job (job-not-found), or nothing recorded at or before an iteration yet "
                    + "(iteration-not-recorded)")
    ProfileResponses.JobProfiles jobProfiles(
            @PathVariable UUID id,
            @AuthenticationPrincipal Caller caller,
            @Parameter(
                            description = "Iterations to profile (repeat the parameter; at most 8). Default: the "
                                    + "first and the last recorded.",
                            array =
                                    @ArraySchema(
                                            maxItems = MAX_ITERATIONS,
                                            schema = @Schema(type = "integer", format = "int64", minimum = "1")))
                    @RequestParam(required = false)
                    List<Long> iteration,
            @Parameter(
                            description = "mlp only: the norm profiled. biasGradientNorm follows the back-propagated "
                                    + "error δ alone, as the predictions do (Nielsen's choice); weightGradientNorm "
                                    + "also scales with each layer's input.",
                            schema =
                                    @Schema(
                                            allowableValues = {
                                                GradientProfiles.WEIGHT_GRADIENT,
                                                GradientProfiles.BIAS_GRADIENT
                                            },
                                            defaultValue = GradientProfiles.WEIGHT_GRADIENT))
                    @RequestParam(defaultValue = GradientProfiles.WEIGHT_GRADIENT)
                    String stat) {
        List<GradientProfiles.At> at = iterations(iteration);
        requireStatistic(stat);
        JobDetails job = jobs.get(id, caller); // the owner first: another's job is 404
        List<GradientProfile> out = new ArrayList<>(at.size());
        for (GradientProfiles.At a : at) {
            out.add(profiles.profile(id, job.spec(), stat, a));
        }
        return ProfileResponses.JobProfiles.of(id, out);
    }

    static void requireStatistic(String stat) {
        if (!stat.equals(GradientProfiles.WEIGHT_GRADIENT) && !stat.equals(GradientProfiles.BIAS_GRADIENT)) {
            throw new BadParameterException(
                    "stat",
                    "must be " + GradientProfiles.WEIGHT_GRADIENT + " or " + GradientProfiles.BIAS_GRADIENT + " (was "
                            + stat + ")");
        }
    }

    private static List<GradientProfiles.At> iterations(List<Long> iteration) {
        if (iteration == null || iteration.isEmpty()) {
            return List.of(GradientProfiles.At.FIRST, GradientProfiles.At.LAST);
        }
        if (iteration.size() > MAX_ITERATIONS) {
            throw new BadParameterException(
                    "iteration", "at most " + MAX_ITERATIONS + " values (was " + iteration.size() + ")");
        }
        List<GradientProfiles.At> at = new ArrayList<>(iteration.size());
        for (Long k : iteration) {
            if (k == null || k < 1) {
                throw new BadParameterException("iteration", "must be 1 or more (was " + k + ")");
            }
            at.add(GradientProfiles.At.iteration(k));
        }
        return at;
    }
}
