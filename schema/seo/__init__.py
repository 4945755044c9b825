"""SEO in the schema: the resolved `seo` of articles, authors and tags, editors' overrides,
and articles' structured data."""
