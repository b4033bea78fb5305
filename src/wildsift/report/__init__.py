"""The HTML report: one static file that opens offline (Plotly inlined, no remote loads)."""

from wildsift.report.build import build_report

__all__ = ["build_report"]
