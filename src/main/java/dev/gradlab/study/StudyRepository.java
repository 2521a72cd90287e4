package dev.gradlab.study;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

interface StudyRepository extends JpaRepository<Study, UUID> {

    Optional<Study> findByIdAndOwner(UUID id, String owner);

    Page<Study> findAllByOwner(String owner, Pageable pageable);

    /** Marks the study cancelled once; 0 if it already was. */
    @Transactional
    @Modifying(clearAutomatically = true)
    @Query("update Study s set s.cancelledAt = :now where s.id = :id and s.cancelledAt is null")
    int markCancelled(UUID id, Instant now);

    /** Deletes the study row (its jobs must be gone first: they reference it). */
    @Transactional
    @Modifying(clearAutomatically = true)
    @Query("delete from Study s where s.id = :id")
    int deleteStudy(UUID id);
}
