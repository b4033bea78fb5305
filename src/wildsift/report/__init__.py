"""The static HTML report (offline: charts and scripts embedded)."""
