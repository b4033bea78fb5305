"""Trade routes: origin -> destination pairs from texts and replies, the country flow network
and each country's role (docs/identify-network.md)."""
