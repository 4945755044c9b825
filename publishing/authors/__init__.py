"""Authors and their per-language bios."""
