"""Live updates: GraphQL subscriptions to article changes, fed by the change log."""
