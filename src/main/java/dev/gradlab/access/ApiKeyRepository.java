package dev.gradlab.access;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

interface ApiKeyRepository extends JpaRepository<ApiKey, UUID> {

    List<ApiKey> findAllByOrderByCreatedAtDescIdDesc();

    boolean existsByIdAndRevokedAtIsNull(UUID id);

    @Transactional
    @Modifying(clearAutomatically = true)
    @Query("update ApiKey k set k.revokedAt = :now where k.id = :id and k.revokedAt is null")
    int revoke(UUID id, Instant now);

    @Transactional
    @Modifying(clearAutomatically = true)
    @Query("update ApiKey k set k.lastUsedAt = :now where k.id = :id")
    int touch(UUID id, Instant now);
}
