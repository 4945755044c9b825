"""Feeds: the newest published articles of a language, a section, an author or a tag, as
RSS 2.0, Atom and JSON Feed 1.1 (``reading`` gathers them, one module per format writes
them)."""
