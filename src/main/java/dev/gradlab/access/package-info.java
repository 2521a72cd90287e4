/**
 * Who is asking. {@link dev.gradlab.access.Caller} is an owner and whether it is an admin; every job, study and
 * uploaded dataset has an owner, and the services that store them take the caller explicitly, so another owner's
 * id is not found by the query itself. {@link dev.gradlab.access.ApiKeys} creates, lists, revokes and checks API
 * keys (random 256-bit secrets stored only as their SHA-256) and the operator's admin key
 * ({@code gradlab.security.admin-key}). {@link dev.gradlab.access.AccessProperties} holds the mode: {@code local}
 * (no key needed, every request is the local admin, the server bound to loopback) or {@code keys}; the service
 * refuses to start on a setup that would expose it ({@link dev.gradlab.access.InsecureSetupException}). The HTTP
 * side (Spring Security's filter chain, the admin endpoints) is in {@code web}.
 */
package dev.gradlab.access;
