"""The REST API for integrations (DRF, OpenAPI 3 contract at /api/schema/)."""
