"""Tags with a name per language."""
