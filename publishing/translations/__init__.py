"""Translation workflow: segments, XLIFF exchange and what changed since a translation."""
