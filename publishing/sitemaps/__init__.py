"""Sitemaps: every public URL of the site, per language, for search engines (sitemaps.org
protocol with Google's image and xhtml-alternate extensions), and a news sitemap of the last
48 hours. Read in keyset-paged batches so no answer is ever held whole in memory."""
