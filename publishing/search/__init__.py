"""Full-text search over articles: the index kept in step with every write, and its queries.

PostgreSQL stores a weighted ``tsvector`` per article, built with the text search
configuration of the article's language; SQLite keeps FTS5 tables over the same plain text.
"""
