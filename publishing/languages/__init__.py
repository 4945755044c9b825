"""Enabled languages; their names and direction come from CLDR."""
