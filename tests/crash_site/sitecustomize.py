"""Test hooks for ``wildsift mine`` run as a child process by tests/mine_crash_harness.py.

Python imports ``sitecustomize`` at start-up from ``sys.path``; the crash harness puts this
folder on the child's ``PYTHONPATH``. Nothing happens unless the variables below are set, and
nothing here is part of wildsift:

- ``WILDSIFT_CRASH_LOOPBACK_MEDIA=1``: the media downloader may also fetch from 127.0.0.1 (the
  local fake server; the SSRF guard refuses private addresses, and in-process tests pass
  ``MediaDownloader(allow=...)``, which a child process cannot be given). Every other address
  is still judged by ``is_public_address``.
- ``WILDSIFT_CRASH_PROBE=<file>``: each cursor save appends ``cursor-begin`` (the page's posts
  and quarantine are written, the cursor not yet) and ``cursor-end`` (the cursor written; the
  page's transaction commits right after) lines to the file, so the harness can time a kill
  "mid-cursor-save"; ``WILDSIFT_CRASH_PROBE_PAUSE`` seconds (default 0.03) are slept between
  ``cursor-begin`` and the cursor's write, which only widens the window a kill can land in.
"""

from __future__ import annotations

import os

if os.environ.get("WILDSIFT_CRASH_LOOPBACK_MEDIA") == "1":
    import ipaddress

    from wildsift.sources import download

    _LOOPBACK = ipaddress.ip_address("127.0.0.1")
    _post_init = download.MediaDownloader.__post_init__

    def _allow_loopback(address) -> bool:
        return address == _LOOPBACK or download.is_public_address(address)

    def __post_init__(self) -> None:
        if self.allow is download.is_public_address:
            self.allow = _allow_loopback
        _post_init(self)

    download.MediaDownloader.__post_init__ = __post_init__

if os.environ.get("WILDSIFT_CRASH_PROBE"):
    import time

    from wildsift.store.cursors import Cursors

    _probe = os.open(os.environ["WILDSIFT_CRASH_PROBE"], os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    _pause = float(os.environ.get("WILDSIFT_CRASH_PROBE_PAUSE", "0.03"))
    _set = Cursors.set

    def _probed_set(self, *args, **kwargs) -> None:
        os.write(_probe, b"cursor-begin\n")
        time.sleep(_pause)
        _set(self, *args, **kwargs)
        os.write(_probe, b"cursor-end\n")

    Cursors.set = _probed_set
