"""Static assets inlined into the report, read from installed packages (never from a CDN).

The report must open on a laptop in the field without a connection, so Plotly's JavaScript is
taken from the plotly Python package's bundled copy and written into the page once.
"""

from __future__ import annotations

import functools


@functools.cache
def plotly_js() -> str:
    """plotly.min.js as bundled with the installed plotly package (about 4.6 MB)."""
    from plotly.offline import get_plotlyjs

    script = get_plotlyjs()
    # A literal "</script>" inside would end the inline <script> element early.
    return script.replace("</script>", "<\\/script>")


def plotly_version() -> str:
    """Version of the installed plotly package (stated in the report's footer)."""
    import plotly

    return plotly.__version__
