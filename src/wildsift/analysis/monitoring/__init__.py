"""Monitoring (issue 13, item 4): the series a study watches (series.py), spikes and change
points with a false discovery control (detect.py), contacts newly shared by sellers
(clusters.py), the alerts they make (alerts.py), their export (export.py), and what
``wildsift watch`` remembers (state.py) and sends (notify.py)."""
