"""The translation workflow's part of the schema."""
