"""Importing a WordPress eXtended RSS (WXR) export: posts, translations, authors, footnotes."""
