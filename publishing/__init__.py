"""The publishing domain: content model, storage and services (no GraphQL, no HTTP)."""
