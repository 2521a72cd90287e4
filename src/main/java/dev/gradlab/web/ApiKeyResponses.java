package dev.gradlab.web;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gradlab.access.ApiKeyDetails;
import dev.gradlab.access.ApiKeys;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The admin endpoints' bodies: a key as listed (never its secret nor its hash), and a new key with its secret. */
final class ApiKeyResponses {

    private ApiKeyResponses() {}

    static final String OWNER_DESCRIPTION = "Whose jobs, studies and datasets the key sees and creates: letters, "
            + "digits and . _ @ -, 1 to 100 characters. Several keys may share an owner (e.g. one per machine).";

    @Schema(name = "ApiKeyRequest", description = "A key to create")
    record ApiKeyRequest(
            @Schema(
                    requiredMode = REQUIRED,
                    pattern = "^[A-Za-z0-9._@-]{1,100}$",
                    description = OWNER_DESCRIPTION,
                    example = "alice")
            String owner,

            @Schema(
                    description = "An admin key also sees every owner's resources and manages keys",
                    defaultValue = "false")
            Boolean admin) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "ApiKey", description = "An API key as listed: never the key itself (only its SHA-256 is stored)")
    record ApiKeyResponse(
            @Schema(requiredMode = REQUIRED) UUID id,

            @Schema(requiredMode = REQUIRED, description = OWNER_DESCRIPTION, example = "alice")
            String owner,

            @Schema(requiredMode = REQUIRED) boolean admin,

            @Schema(
                    requiredMode = REQUIRED,
                    description = "The key's first characters, to tell keys apart",
                    example = "glk_Vq3x9T")
            String prefix,

            @Schema(requiredMode = REQUIRED) Instant createdAt,

            @Schema(description = "When it last authenticated a request (to the minute); left out if never")
            Instant lastUsedAt,

            @Schema(description = "When it was revoked; left out while the key is valid")
            Instant revokedAt) {

        static ApiKeyResponse from(ApiKeyDetails k) {
            return new ApiKeyResponse(
                    k.id(), k.owner(), k.admin(), k.prefix(), k.createdAt(), k.lastUsedAt(), k.revokedAt());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "NewApiKey", description = "A key just created, with its secret: shown this once, never again")
    record NewApiKeyResponse(
            @Schema(requiredMode = REQUIRED) UUID id,

            @Schema(requiredMode = REQUIRED, description = OWNER_DESCRIPTION, example = "alice")
            String owner,

            @Schema(requiredMode = REQUIRED) boolean admin,

            @Schema(
                    requiredMode = REQUIRED,
                    description = "The key's first characters, as lists show them",
                    example = "glk_Vq3x9T")
            String prefix,

            @Schema(requiredMode = REQUIRED) Instant createdAt,

            @Schema(
                    requiredMode = REQUIRED,
                    pattern = "^" + ApiKeys.KEY_PREFIX + "[A-Za-z0-9_-]{43}$",
                    description = "The key: send it as `Authorization: Bearer <key>`. Only its SHA-256 is stored, so "
                            + "it cannot be shown again; keep it in a secret store",
                    example = "glk_Vq3x9TzQe0bYlL2cJ8mFh4sWk7nPq1aR5dGt6uVy0xE")
            String key) {

        static NewApiKeyResponse from(ApiKeys.CreatedKey created) {
            ApiKeyDetails k = created.key();
            return new NewApiKeyResponse(k.id(), k.owner(), k.admin(), k.prefix(), k.createdAt(), created.secret());
        }
    }

    @Schema(name = "ApiKeyList", description = "Every key, revoked ones included, newest first")
    record ApiKeyListResponse(
            @Schema(requiredMode = REQUIRED) List<ApiKeyResponse> items) {}
}
