"""Throughput of Lexicon.match_many on a synthetic multilingual corpus (posts per second, one core).

    python benchmarks/bench_lexicon.py [n_posts] [--lexicon DIR] [--breadth]

``--lexicon DIR`` times another lexicon folder (e.g. an older release's data) with the same code;
``--breadth`` mixes in posts about the taxa of lexicon v2 (tiger bone, shark fin, bear bile...).

Reports wall time and CPU time (``time.process_time``) side by side: the machine is shared, so the
CPU figure is the one to compare between runs; wall time shows what a user waits.
"""

from __future__ import annotations

import random
import sys
import time

from wildsift.lexicon import Lexicon

SNIPPETS = [
    "Selling genuine rhino horn and ivory bangles, DM for price, shipping worldwide",
    "出售正品象牙手镯，价格优惠，支持验货，微信联系，包邮到家，欢迎咨询",
    "Bán vòng tay ngà voi thật 100%, giao hàng toàn quốc, liên hệ để biết giá",
    "ขายงาช้างแท้ ราคาถูก ส่งฟรีทั่วประเทศ สนใจติดต่อได้เลยค่ะ",
    "Beautiful sunset at the beach today, feeling grateful for friends and family",
    "Jual sisik trenggiling asli, harga nego, pengiriman ke seluruh Indonesia",
    "Just watched a documentary about elephants in Kenya, amazing animals!",
    "Travel diary: two weeks in Ivory Coast and Ghana, the food was great",
    "Nouvelle collection printemps, robe couleur ivoire, livraison gratuite",
    "今日はいい天気ですね。サイズの合う服を探しています。",
]


BREADTH = [
    "Selling tiger bone wine and tiger claws, genuine, ship from Laos",
    "出售正宗熊胆粉，鱼翅，玳瑁手镯，价格优惠",
    "Bán cao hổ cốt, mật gấu rừng, vòng đồi mồi, liên hệ Zalo",
    "Jual murai batu, cucak rawa, kukang, dan gaharu super, COD",
    "ขายเขี้ยวเสือ หูฉลาม และไม้พะยูง ราคาถูก",
    "Tiger Balm and Jaguar XF for sale, also a leopard print dress",
]


def corpus(n: int, seed: int = 7, breadth: bool = False) -> list[str]:
    rng = random.Random(seed)
    pool = SNIPPETS + BREADTH if breadth else SNIPPETS
    return [" ".join(rng.choices(pool, k=rng.randint(1, 4))) for _ in range(n)]


def main(n: int = 50_000, lexicon: str | None = None, breadth: bool = False) -> None:
    start_cpu = time.process_time()
    lex = Lexicon.load(lexicon) if lexicon else Lexicon.default()
    build_cpu = time.process_time() - start_cpu
    texts = corpus(n, breadth=breadth)
    start_cpu, start = time.process_time(), time.perf_counter()
    results = lex.match_many(texts)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    chars = sum(map(len, texts)) / len(texts)
    print(f"{n} posts (mean {chars:.0f} chars): {n / elapsed:,.0f} posts/s wall, "
          f"{n / cpu:,.0f} posts/s CPU ({elapsed:.2f} s wall, {cpu:.2f} s CPU); "
          f"{sum(map(len, results))} matches; lexicon {lex.version}: {len(lex.taxa)} taxa, "
          f"{len(lex.groups)} groups, {len(lex.terms())} terms, loaded in {build_cpu:.2f} s CPU")


if __name__ == "__main__":
    args = sys.argv[1:]
    lexicon_dir = args[args.index("--lexicon") + 1] if "--lexicon" in args else None
    numbers = [a for a in args if a.isdigit()]
    main(int(numbers[0]) if numbers else 50_000, lexicon_dir, "--breadth" in args)
