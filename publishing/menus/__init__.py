"""Navigation menus: named, per-language trees of links to content or other sites."""
