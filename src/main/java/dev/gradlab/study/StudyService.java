package dev.gradlab.study;

import dev.gradlab.access.Caller;
import dev.gradlab.job.JobDetails;
import dev.gradlab.job.JobService;
import dev.gradlab.job.JobStateException;
import dev.gradlab.job.JobStatus;
import dev.gradlab.profile.GradientProfiles;
import dev.gradlab.spec.ExperimentSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Creates, lists, reads, cancels and deletes studies. A study and all its jobs are stored and queued in one transaction;
 * afterwards its state lives in its jobs' rows, so every instance sharing the database reads the same study.
 */
@Service
public class StudyService {

    /** A study's job names are "<study name> · v<variant> r<repeat>: <values>", cut to the job name's limit. */
    private static final int MAX_JOB_NAME = 200;

    private final StudyPlanner planner;
    private final StudyRepository studies;
    private final JobService jobs;
    private final StudyResults results;
    private final VariantProfiles variantProfiles;
    private final JsonMapper json;

    StudyService(
            StudyPlanner planner,
            StudyRepository studies,
            JobService jobs,
            StudyResults results,
            VariantProfiles variantProfiles,
            JsonMapper json) {
        this.planner = planner;
        this.studies = studies;
        this.jobs = jobs;
        this.results = results;
        this.variantProfiles = variantProfiles;
        this.json = json;
    }

    /**
     * Validates the study, then stores it with one job per variant × repeat and queues them, all in one
     * transaction. Jobs are queued repeat by repeat (every variant's repeat 0 first), so a partly run study
     * already compares every variant.
     *
     * @throws InvalidStudyException naming each bad request field
     * @throws dev.gradlab.job.QueueFullException when the jobs would overflow the queue; nothing is stored
     */
    public StudyDetails create(Caller caller, StudyDefinition definition) {
        StudyPlan plan = planner.plan(definition, caller.ownerFilter());
        UUID id = UUID.randomUUID();
        Study study = new Study(
                id,
                caller.owner(),
                plan.name(),
                json.writeValueAsString(
                        plan.base() == null ? ExperimentSpec.builder().build() : plan.base()),
                json.writeValueAsString(plan.vary()),
                plan.repeats(),
                plan.variants().size(),
                plan.targetLoss(),
                Instant.now());
        List<JobService.StudyJob> children = new ArrayList<>(plan.jobCount());
        for (int r = 0; r < plan.repeats(); r++) {
            for (StudyPlan.Variant v : plan.variants()) {
                Map<String, Object> values = plainValues(v.values());
                children.add(new JobService.StudyJob(jobName(plan.name(), v, r), v.repeat(r), v.index(), r, values));
            }
        }
        jobs.submitStudy(caller, id, children, () -> studies.saveAndFlush(study));
        return get(id, caller);
    }

    /** @throws StudyNotFoundException if there is none that {@code caller} sees (another owner's is not found) */
    public StudyDetails get(UUID id, Caller caller) {
        Study study = find(id, caller);
        List<JobDetails> members = jobs.studyJobs(id);
        Map<JobStatus, Long> counts = counts(members);
        LinkedHashMap<String, List<JsonNode>> vary = vary(study);
        List<LinkedHashMap<String, JsonNode>> variantValues = StudyPlan.variantValues(vary);
        List<StudyDetails.VariantRow> rows = new ArrayList<>(variantValues.size());
        for (int index = 0; index < variantValues.size(); index++) {
            rows.add(results.row(
                    index, plainValues(variantValues.get(index)), ofVariant(members, index), study.getTargetLoss()));
        }
        Map<String, List<Object>> plainVary = new LinkedHashMap<>();
        vary.forEach((path, values) ->
                plainVary.put(path, values.stream().map(this::plain).toList()));
        return new StudyDetails(
                summary(study, counts), json.readValue(study.getBaseSpec(), ExperimentSpec.class), plainVary, rows);
    }

    /**
     * Each variant's gradient profile over its completed repeats, at the first or the last recorded iteration.
     *
     * @param statistic for mlp variants, the norm profiled (see {@link GradientProfiles})
     * @throws StudyNotFoundException if there is none that {@code caller} sees
     */
    public List<VariantProfile> profiles(UUID id, Caller caller, boolean last, String statistic) {
        Study study = find(id, caller);
        List<JobDetails> members = jobs.studyJobs(id);
        List<LinkedHashMap<String, JsonNode>> variantValues = StudyPlan.variantValues(vary(study));
        List<VariantProfile> out = new ArrayList<>(variantValues.size());
        for (int index = 0; index < variantValues.size(); index++) {
            out.add(variantProfiles.of(
                    index, plainValues(variantValues.get(index)), ofVariant(members, index), last, statistic));
        }
        return out;
    }

    /** The study's jobs of one variant, by repeat. */
    private static List<JobDetails> ofVariant(List<JobDetails> members, int variant) {
        return members.stream()
                .filter(j -> j.study().variant() == variant)
                .sorted(Comparator.comparingInt(j -> j.study().repeat()))
                .toList();
    }

    /**
     * The study the caller asked for by id: reading, cancelling and deleting all find it here. Another owner's study
     * is found by no query of the caller's: it answers like an id that does not exist.
     */
    private Study find(UUID id, Caller caller) {
        String owner = caller.ownerFilter();
        return (owner == null ? studies.findById(id) : studies.findByIdAndOwner(id, owner))
                .orElseThrow(() -> new StudyNotFoundException(id));
    }

    /** The caller's studies (an admin's: every owner's), newest first. */
    public StudyPage list(Caller caller, int page, int size) {
        PageRequest request = PageRequest.of(page, size, Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id")));
        String owner = caller.ownerFilter();
        Page<Study> result = owner == null ? studies.findAll(request) : studies.findAllByOwner(owner, request);
        Map<UUID, Map<JobStatus, Long>> counts = jobs.studyStatusCounts(
                result.getContent().stream().map(Study::getId).toList());
        List<StudySummary> items = result.getContent().stream()
                .map(s -> summary(s, complete(counts.getOrDefault(s.getId(), Map.of()))))
                .toList();
        return new StudyPage(items, page, size, result.getTotalElements());
    }

    /**
     * Cancels every unfinished job of the study (a queued one never starts, a running one stops after its current
     * iteration, on whichever instance runs it) and marks the study CANCELLED. Cancelling again while jobs are
     * still stopping is harmless.
     *
     * @throws StudyStateException if every job has finished already
     */
    public StudyDetails cancel(UUID id, Caller caller) {
        Study study = find(id, caller);
        List<JobDetails> unfinished =
                jobs.studyJobs(id).stream().filter(j -> !j.status().finished()).toList();
        if (unfinished.isEmpty()) {
            throw new StudyStateException("study " + id + " has no unfinished job left to cancel"
                    + (study.getCancelledAt() == null ? "" : "; it was cancelled at " + study.getCancelledAt()));
        }
        studies.markCancelled(id, Instant.now());
        for (JobDetails job : unfinished) {
            try {
                jobs.cancel(job.id(), caller);
            } catch (JobStateException e) {
                // Finished meanwhile: nothing left to stop.
            }
        }
        return get(id, caller);
    }

    /**
     * Deletes the study and every job of it, as deleting each job would (running ones stop, queued ones never
     * start, curves are removed in the background), in one transaction: no instance sees the study without some
     * of its jobs.
     *
     * @return the ids of the jobs deleted
     * @throws StudyNotFoundException if there is none that {@code caller} sees (another owner's: as if it did not
     *     exist; an admin deletes any), or it was deleted meanwhile
     */
    public List<UUID> delete(UUID id, Caller caller) {
        find(id, caller); // throws for an unknown id and for another owner's
        return remove(id);
    }

    /**
     * Deletes the study whoever owns it: the retention sweep's delete (a system action, for every owner).
     *
     * @throws StudyNotFoundException if there is none (or it was deleted meanwhile)
     */
    List<UUID> remove(UUID id) {
        int[] deleted = {0};
        List<UUID> jobIds = jobs.deleteStudy(id, () -> deleted[0] = studies.deleteStudy(id));
        if (deleted[0] == 0) {
            throw new StudyNotFoundException(id); // deleted by another request meanwhile
        }
        results.forget(jobIds);
        return jobIds;
    }

    private StudySummary summary(Study s, Map<JobStatus, Long> counts) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        long finished = counts.entrySet().stream()
                .filter(e -> e.getKey().finished())
                .mapToLong(Map.Entry::getValue)
                .sum();
        StudyStatus status;
        if (s.getCancelledAt() != null) {
            status = StudyStatus.CANCELLED;
        } else if (finished == total) {
            status = StudyStatus.FINISHED;
        } else if (counts.get(JobStatus.QUEUED) == total) {
            status = StudyStatus.QUEUED;
        } else {
            status = StudyStatus.RUNNING;
        }
        return new StudySummary(
                s.getId(),
                s.getName(),
                s.getOwner(),
                status,
                s.getCreatedAt(),
                s.getCancelledAt(),
                s.getRepeats(),
                s.getVariantCount(),
                s.getJobCount(),
                s.getTargetLoss(),
                counts);
    }

    private static Map<JobStatus, Long> counts(List<JobDetails> members) {
        Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
        members.forEach(j -> counts.merge(j.status(), 1L, Long::sum));
        return complete(counts);
    }

    /** Every status, 0 where there is no job in it. */
    private static Map<JobStatus, Long> complete(Map<JobStatus, Long> counts) {
        Map<JobStatus, Long> out = new EnumMap<>(JobStatus.class);
        for (JobStatus status : JobStatus.values()) {
            out.put(status, counts.getOrDefault(status, 0L));
        }
        return out;
    }

    private LinkedHashMap<String, List<JsonNode>> vary(Study study) {
        return json.readValue(study.getVary(), new TypeReference<LinkedHashMap<String, List<JsonNode>>>() {});
    }

    private Map<String, Object> plainValues(Map<String, JsonNode> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((path, value) -> out.put(path, plain(value)));
        return out;
    }

    /** A JSON value as plain Java (Integer, Double, Boolean, String, Map, List, or null). */
    private Object plain(JsonNode node) {
        return node == null || node.isNull() ? null : json.treeToValue(node, Object.class);
    }

    private static String jobName(String study, StudyPlan.Variant v, int repeat) {
        String values = StudyPlanner.label(v.values());
        String name = (study == null || study.isBlank() ? "study" : study) + " · v" + v.index() + " r" + repeat
                + (values.isEmpty() ? "" : ": " + values);
        return name.length() <= MAX_JOB_NAME ? name : name.substring(0, MAX_JOB_NAME - 1) + "…";
    }
}
