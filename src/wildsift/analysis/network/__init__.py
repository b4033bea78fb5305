"""The people network: ties from replies, mentions, shared contacts and images, pseudonymous
(docs/identify-network.md)."""
