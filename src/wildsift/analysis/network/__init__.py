"""The people network: ties from replies, mentions, reposts, shared contacts and images,
pseudonymous (docs/identify-network.md)."""
