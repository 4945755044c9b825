"""API tokens for editorial tools, and signed preview links."""
