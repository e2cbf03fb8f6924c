/**
 * The platform REST API under {@code /api/v1} and the per-tenant API keys it is called with. A request's bearer key
 * is found before its tenant is known (a SECURITY DEFINER function, see db/migration/V8__api_keys.sql); the resource
 * then runs as the key's creator with the key's role, through the same services and permission checks as the pages.
 */
package dev.runway.api;
