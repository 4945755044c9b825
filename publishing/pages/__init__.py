"""Pages: undated, translatable content (About, Team, Privacy).

A page is a story of kind PAGE; its language versions are rows of ``articles``, written by
the services in ``publishing.articles`` given that kind (body, footnotes, media, credits,
revisions, workflow, preview links, search and webhooks all come with them). What is only a
page's lives here: the listing by title.
"""
