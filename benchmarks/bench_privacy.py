"""Throughput of privacy at ingest (Protector.protect: pseudonyms + redaction), one core.

    python benchmarks/bench_privacy.py [n_posts] [share_with_contact]

Reports posts/s by wall clock and by CPU time of this process (the fairer figure for "one core"
on a shared machine).

The corpus is multilingual ad-like text; about a third of the posts carry a contact (a phone
number in a national or international format, an e-mail, a handle, a profile link or a
messenger id), every phone number distinct (no cache hits), and many carry prices, dates,
sizes and quantities that must not be taken for phone numbers.
"""

from __future__ import annotations

import random
import sys
import time

from wildsift.privacy.ingest import Protector
from wildsift.privacy.redact import KINDS
from wildsift.records import RawPost
from wildsift.study import DEFAULT_PHONE_REGIONS

SNIPPETS = [
    "Selling genuine rhino horn and ivory bangles, DM for price, shipping worldwide",
    "出售正品象牙手镯，价格优惠，支持验货，包邮到家，欢迎咨询",
    "Bán vòng tay ngà voi thật 100%, giao hàng toàn quốc, giá 25.000.000đ",
    "ขายงาช้างแท้ ราคาถูก ส่งฟรีทั่วประเทศ สนใจติดต่อได้เลยค่ะ ราคา 15,000 บาท",
    "Beautiful sunset at the beach today, feeling grateful for friends and family",
    "Jual sisik trenggiling asli, harga nego Rp 1.500.000, pengiriman ke seluruh Indonesia",
    "Just watched a documentary about elephants in Kenya, amazing animals! 2019-05-12",
    "Travel diary: two weeks in Ivory Coast and Ghana, 2 kg of luggage, 50x30 cm bag",
    "Nouvelle collection printemps, robe couleur ivoire, livraison gratuite, 1500 USD",
    "New pangolin armoured vehicle ordered for 2024, 1,250,000 units",
]
NATIONAL = {  # region: (prefix, digits after prefix)
    "VN": ("09", 8), "TH": ("08", 8), "ID": ("0812", 8), "NG": ("080", 8), "KE": ("07", 8),
    "CN": ("13", 9), "PH": ("09", 9), "MY": ("012", 7),
}


def _contact(rng: random.Random) -> str:
    _region, (prefix, n) = rng.choice(sorted(NATIONAL.items()))
    digits = prefix + "".join(rng.choice("0123456789") for _ in range(n))
    kind = rng.randrange(8)
    if kind == 0:
        return f"call {digits[:4]} {digits[4:7]} {digits[7:]}"
    if kind == 1:
        return f"WA: +{rng.choice(['84', '66', '62', '234', '254'])} {digits[1:4]} {digits[4:]}"
    if kind == 2:
        return f"微信: shop{rng.randrange(10**6)}"
    if kind == 3:
        return f"email seller{rng.randrange(10**6)}@gmail.com"
    if kind == 4:
        return f"follow @dealer_{rng.randrange(10**6)}"
    if kind == 5:
        return f"https://www.facebook.com/shop.{rng.randrange(10**6)}/"
    if kind == 6:
        return f"zalo {digits}"
    return f"line id: ivory{rng.randrange(10**6)}"


def corpus(n: int, seed: int = 7, share: float = 0.33) -> list[RawPost]:
    rng = random.Random(seed)
    posts = []
    for i in range(n):
        parts = rng.choices(SNIPPETS, k=rng.randint(1, 4))
        if rng.random() < share:
            parts.insert(rng.randrange(len(parts) + 1), _contact(rng))
        posts.append(RawPost(platform="bench", source_id=str(i), text=" ".join(parts),
                             author=f"user{rng.randrange(10**5)}", lang=None))
    return posts


def _rate(protector: Protector, posts: list[RawPost]) -> tuple[float, float, list]:
    start, cpu = time.perf_counter(), time.process_time()
    stored = [protector.protect(p) for p in posts]
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    return len(posts) / elapsed, len(posts) / cpu, stored


def main(n: int = 50_000, share: float = 0.33) -> None:
    """Protect the corpus with every redaction kind, and (interleaved, same process and load)
    without the person-name pass, to show what that pass costs."""
    regions = list(DEFAULT_PHONE_REGIONS)
    without_names = [k for k in KINDS if k != "name"]
    posts = corpus(n, share=share)
    chars = sum(len(p.text) for p in posts) / n
    best: dict[str, tuple[float, float]] = {}
    for _round in range(2):
        for label, kinds in (("all kinds", None), ("without names", without_names)):
            protector = Protector(b"b" * 32, phone_regions=regions, redact=kinds)
            protector.protect(RawPost("bench", "0", "+84 912 345 678"))  # load metadata
            wall, cpu, stored = _rate(protector, posts)
            old = best.get(label, (0.0, 0.0))
            best[label] = (max(wall, old[0]), max(cpu, old[1]))
            if label == "all kinds":
                tokens = sum(p.text.count("<") for p in stored)
    for label, (wall, cpu) in best.items():
        print(f"{n} posts (mean {chars:.0f} chars, {share:.0%} with a contact, {tokens} tokens "
              f"with all kinds), {label}: {wall:,.0f} posts/s wall, {cpu:,.0f} posts/s CPU, "
              "one core (Protector.protect, best of 2)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000,
         float(sys.argv[2]) if len(sys.argv) > 2 else 0.33)
