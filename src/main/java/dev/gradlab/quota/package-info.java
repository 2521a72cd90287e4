/**
 * Fair use: per-owner quotas (queued jobs, running jobs, iterations per day, dataset bytes) and the per-key request
 * rate limit. Quotas apply to callers that are not admins (in local mode the single user is an admin: nothing here
 * limits it). {@link dev.gradlab.quota.OwnerQuotas} serialises one owner's checks on a row lock, so a quota holds
 * across instances; {@link dev.gradlab.quota.RequestRateLimiter} keeps a token bucket per key on each instance.
 * Over a limit: {@link dev.gradlab.quota.QuotaExceededException}, which the web layer answers with 429.
 */
package dev.gradlab.quota;
