"""Webhooks: subscriptions, the transactional outbox of events, and the dispatcher."""
