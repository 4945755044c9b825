"""Footnotes and the sources they cite."""
