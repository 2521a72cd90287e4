/**
 * The HTTP contract, whole: controllers, every response body (records), their OpenAPI description, the mapping
 * from domain results to JSON (including the one convention for non-finite numbers, {@code NonFinite}), and RFC 9457
 * problems for every error. Controllers call {@code job}, {@code curve} and {@code spec} only.
 */
package dev.gradlab.web;
