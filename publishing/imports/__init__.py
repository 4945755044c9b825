"""Bringing a publication over from another system, written through the editorial services."""
