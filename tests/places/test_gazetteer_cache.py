"""The built gazetteer is kept in the user's cache folder, keyed by the data file's content, so a
sift worker reads it instead of folding 300,000 names again; a damaged cache is rebuilt."""

from __future__ import annotations

from wildsift.places import gazetteer


def _load(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return gazetteer.load_gazetteer.__wrapped__(gazetteer.DATA)  # past the per-process cache


def test_the_second_process_reads_the_cached_gazetteer(monkeypatch, tmp_path):
    built = _load(monkeypatch, tmp_path)
    cached = list((tmp_path / "wildsift").glob("gazetteer-*.pickle"))
    assert len(cached) == 1
    monkeypatch.setattr(gazetteer, "read_rows", lambda path: (_ for _ in ()).throw(
        AssertionError("the data file was read again")))
    again = _load(monkeypatch, tmp_path)
    assert again.lookup("hanoi") == built.lookup("hanoi") != ()
    assert again.countries.keys() == built.countries.keys()


def test_a_damaged_cache_is_rebuilt(monkeypatch, tmp_path):
    _load(monkeypatch, tmp_path)
    cached = next((tmp_path / "wildsift").glob("gazetteer-*.pickle"))
    cached.write_bytes(b"not a pickle")
    rebuilt = _load(monkeypatch, tmp_path)
    assert rebuilt.lookup("nairobi") != ()
    assert cached.read_bytes() != b"not a pickle"
