"""Only one 'wildsift sift' at a time on a study, on both backends."""

from __future__ import annotations

import pytest

from wildsift.store import Store
from wildsift.store.locks import Busy, exclusive


def test_a_second_holder_is_told_to_wait_and_the_lock_is_released(store):
    other = Store.open(store.engine.url.render_as_string(hide_password=False))
    try:
        with exclusive(store, "sift"):
            with pytest.raises(Busy, match="another 'wildsift sift' is running"):
                with exclusive(other, "sift"):
                    pass
            with exclusive(other, "import"):  # another name is another lock
                pass
        with exclusive(other, "sift"):  # released when the block ends
            pass
    finally:
        other.close()
