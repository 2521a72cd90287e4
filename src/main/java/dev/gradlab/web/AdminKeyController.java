package dev.gradlab.web;

import dev.gradlab.access.ApiKeys;
import dev.gradlab.access.Caller;
import dev.gradlab.job.CommitFlusher;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** API keys, for admins only (the security chain refuses everyone else with 403 before this is reached). */
@RestController
@RequestMapping(path = AdminKeyController.PATH, produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(
        name = "Admin",
        description = "API keys (admin keys only). Create one per user (owner) or machine; the key is shown once. "
                + "Revoking refuses it from the next request on, on every instance.")
class AdminKeyController {

    static final String PATH = "/api/v1/admin/keys";
    private static final Logger log = LoggerFactory.getLogger(AdminKeyController.class);

    private final ApiKeys keys;
    private final CommitFlusher flusher;

    AdminKeyController(ApiKeys keys, CommitFlusher flusher) {
        this.keys = keys;
        this.flusher = flusher;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Create an API key",
            description = "Answers the key once: only its SHA-256 is stored. The owner need not exist beforehand: "
                    + "an owner is whoever holds a key with that name.")
    @ApiResponse(responseCode = "201", description = "Created; `key` is the secret, shown this once")
    @ApiResponse(responseCode = "400", description = "The owner is missing or not a valid name")
    @ApiResponse(responseCode = "415", description = "Body is not application/json")
    ResponseEntity<ApiKeyResponses.NewApiKeyResponse> create(
            @RequestBody ApiKeyResponses.ApiKeyRequest request, @AuthenticationPrincipal Caller caller) {
        if (request.owner() == null
                || !Caller.OWNER_PATTERN.matcher(request.owner()).matches()) {
            throw new BadParameterException(
                    "owner", "letters, digits and . _ @ -, 1 to 100 characters (was " + request.owner() + ")");
        }
        ApiKeys.CreatedKey created = keys.create(request.owner(), Boolean.TRUE.equals(request.admin()));
        flusher.flush(); // H2: the key survives a crash once answered
        log.info(
                "API key {} ({}) created for owner {}{} by {}",
                created.key().id(),
                created.key().prefix(),
                created.key().owner(),
                created.key().admin() ? " (admin)" : "",
                caller.owner());
        return ResponseEntity.status(HttpStatus.CREATED).body(ApiKeyResponses.NewApiKeyResponse.from(created));
    }

    @GetMapping
    @Operation(summary = "Every API key, revoked ones included, newest first (never a secret)")
    @ApiResponse(responseCode = "200", description = "The keys")
    ApiKeyResponses.ApiKeyListResponse list() {
        return new ApiKeyResponses.ApiKeyListResponse(
                keys.list().stream().map(ApiKeyResponses.ApiKeyResponse::from).toList());
    }

    @DeleteMapping("/{id}")
    @Operation(
            summary = "Revoke an API key",
            description = "From the next request on, on every instance sharing the database, the key gets 401 "
                    + "(nothing caches it), and its open event streams end within a second. The key stays listed "
                    + "with revokedAt; revoking it again changes nothing. What its owner created stays.")
    @ApiResponse(responseCode = "200", description = "Revoked (or already was)")
    @ApiResponse(responseCode = "400", description = "The id is not a UUID")
    @ApiResponse(responseCode = "404", description = "No such key (code api-key-not-found)")
    ApiKeyResponses.ApiKeyResponse revoke(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        ApiKeyResponses.ApiKeyResponse revoked = ApiKeyResponses.ApiKeyResponse.from(keys.revoke(id));
        flusher.flush(); // H2: a revocation must not come undone in a crash
        log.info("API key {} ({}) of owner {} revoked by {}", id, revoked.prefix(), revoked.owner(), caller.owner());
        return revoked;
    }
}
