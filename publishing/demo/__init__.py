"""Demo publication: the Meridian Institute's authors, tags, sources and stories."""
