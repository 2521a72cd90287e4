package dev.gradlab.job;

import java.util.UUID;

/** A study's job cannot be deleted alone: the study's table compares its matched jobs, so the study goes whole. */
public class JobInStudyException extends RuntimeException {

    private final UUID studyId;

    public JobInStudyException(UUID jobId, UUID studyId) {
        super("job " + jobId + " is one of study " + studyId + "'s jobs, which are deleted together: delete the study");
        this.studyId = studyId;
    }

    public UUID studyId() {
        return studyId;
    }
}
