"""Stories, their language versions (articles), credits and revisions."""
