"""The speed-ups of ingest privacy change nothing that is stored: precomputed HMAC states, the
bounded cache of redacted texts and the per-account names."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from wildsift.privacy import redact
from wildsift.privacy.ingest import Protector
from wildsift.privacy.pseudonym import Pseudonymizer
from wildsift.privacy.redact import Redactor
from wildsift.records import RawPost


@pytest.mark.parametrize("secret", [b"s" * 16, b"0123456789abcdef" * 2, b"k" * 64, b"long" * 40])
def test_digest_is_the_standard_hmac_sha256_for_any_secret_length(secret):
    p = Pseudonymizer(secret)
    for namespace, value, length in [("post:x", "123", 24), ("contact", "tel:+84912345678", 6),
                                     ("account:x", "ivory_shop", None), ("a", "é 象牙", 64)]:
        expected = hmac.new(secret, f"{namespace}:{value}".encode(), hashlib.sha256).hexdigest()
        assert p.digest(namespace, value, length) == expected[: length or 16]
        assert p.digest_hmac(namespace, value, length) == expected[: length or 16]


def test_cached_redaction_equals_a_fresh_redaction_and_depends_on_the_region_hints(monkeypatch):
    monkeypatch.setattr(redact, "_CACHE_SIZE", 3)  # forces the cache to be emptied and refilled
    cached = Redactor(Pseudonymizer(b"k" * 32), ["VN", "TH"])
    texts = ["call 0912 345 678", "zalo: ivory_99", "mail a.b@c.com", "plain text", "081 234 5678"]
    for _ in range(3):
        for text in texts:
            for regions in [(), ("TH",), ("VN",)]:
                fresh = Redactor(Pseudonymizer(b"k" * 32), ["VN", "TH"])
                assert cached.redact(text, regions=regions) == fresh.redact(text, regions=regions)
    assert len(cached._done) <= 3
    # One national number, read with different hints, is a different contact: not mixed up.
    th = cached.redact("081 234 5678", regions=["TH"])
    assert th == Redactor(Pseudonymizer(b"k" * 32), ["VN", "TH"]).redact("081 234 5678",
                                                                       regions=["TH"])


def test_names_of_an_account_are_reused_but_each_post_still_hides_its_own_names():
    protector = Protector(b"k" * 32)
    one = protector.protect(RawPost(platform="x", source_id="1", author="ivoryseller",
                                    text="ivoryseller has tusks, ask bob_the_dealer"))
    two = protector.protect(RawPost(platform="x", source_id="2", author="ivoryseller",
                                    mentions=["bob_the_dealer"],
                                    text="ivoryseller has tusks, ask bob_the_dealer"))
    three = protector.protect(RawPost(platform="x", source_id="3", author="ivoryseller",
                                      text="ivoryseller again"))
    assert "ivoryseller" not in one.text and "bob_the_dealer" in one.text
    assert "ivoryseller" not in two.text and "bob_the_dealer" not in two.text
    assert "ivoryseller" not in three.text
