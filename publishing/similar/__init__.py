"""Similar posts: computed into a table when articles change, read for a page in one query.

Scores are symmetric (shared tags, then the overlap of title, subtitle and excerpt words), so
publishing one article updates its own list and offers it to the lists of its candidates,
without recomputing theirs.
"""
