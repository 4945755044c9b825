"""Search and social metadata: editors' overrides per language, resolved with fallbacks, and
schema.org structured data."""
