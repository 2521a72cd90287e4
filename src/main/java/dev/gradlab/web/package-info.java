/**
 * The HTTP contract, whole: controllers, every response body (records), their OpenAPI description, the mapping
 * from domain results to JSON (including the one convention for non-finite numbers, {@code NonFinite}), and RFC 9457
 * problems for every error. Controllers call {@code study}, {@code upload}, {@code job}, {@code curve},
 * {@code diagnosis}, {@code profile} and {@code spec}.
 */
package dev.gradlab.web;
