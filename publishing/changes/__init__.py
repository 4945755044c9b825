"""Cross-process cache invalidation: a change log every writer appends to inside its own
transaction, and the surrogate keys a read touched."""
