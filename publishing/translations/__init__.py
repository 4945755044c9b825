"""Translation workflow: the work of translating a story, who does it, and by when."""
