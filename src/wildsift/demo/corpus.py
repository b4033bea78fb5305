"""SYNTHETIC labelled corpus of social-media and marketplace posts about wildlife trade.

Every record is invented: its ``source`` begins with ``demo:synthetic`` and files written by
:func:`wildsift.demo.data.write_corpus` carry a SYNTHETIC metadata sidecar. The generator is
seeded and deterministic, so a demo, a test or a benchmark can be reproduced exactly.

What it models, so that sifting has something real to do: trade posts (label "1": offers,
requests and price questions) for ivory, rhino horn and pangolin in ten languages, with local
prices, quantities, code words and planted contacts (phones, e-mails, WeChat/Line/Telegram ids);
everyday chatter and hard negatives (label "0") that share the trade vocabulary; sellers who post
many times and buyers who reply to them; sellers who say where their goods go or come from, and
rings of sellers who share a phone and pictures (demo/routes.py); geotags on about 30% of
posts; a two-year timeline with a trend and bursts; and noise (typos, stripped diacritics,
emoji, mixed languages).
"""

from __future__ import annotations

import math
import random
import string
import unicodedata
from bisect import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from wildsift.demo import negatives as neg
from wildsift.demo import phrases as ph
from wildsift.demo import routes as rt
from wildsift.demo.people import CITIES, LANG_COUNTRIES, Contacts, contacts, handle

SOURCE = "demo:synthetic"
DEMO_POSITIVE_SHARE = 0.2
COLUMNS = ["id", "created_at", "platform", "text", "author", "author_description", "lang", "lat",
           "lon", "place", "country", "reply_to", "mentions", "hashtags", "media", "source",
           "label"]
LANGUAGES = list(ph.TEMPLATES)
IMAGES_PER_CATEGORY = 6
START = datetime(2023, 1, 1, tzinfo=UTC)
DAYS = 731
_START_TS = START.timestamp()

_POS_LANG_WEIGHTS = {"vi": 20, "zh-Hans": 18, "zh-Hant": 7, "th": 10, "en": 16, "id": 7, "fr": 7,
                     "es": 3, "pt": 6, "sw": 6}
_NEG_LANG_WEIGHTS = {"en": 30, "zh-Hans": 12, "zh-Hant": 4, "vi": 12, "th": 8, "id": 8, "fr": 9,
                     "es": 7, "pt": 6, "sw": 4}
_PLATFORMS = ["facebook", "marketplace", "telegram", "mastodon", "bluesky", "instagram", "weibo"]
_POS_PLATFORM_WEIGHTS = [40, 25, 20, 3, 4, 8, 0]
_NEG_PLATFORM_WEIGHTS = [30, 10, 8, 15, 20, 17, 0]
_POS_EMOJI = ["🔥", "💯", "✅", "📦", "💎", "🐘", "📞", "⚡", "🦏"]
_NEG_EMOJI = ["😂", "☀️", "🙏", "❤️", "👍", "😅", "🎉"]
_MIXED = ["DM for price", "ship worldwide", "inbox", "100% real", "hot deal", "no fake"]
_LATIN = {"en", "vi", "id", "fr", "es", "pt", "sw"}


@dataclass(slots=True)
class _User:
    handle: str
    lang: str
    country: str
    city: tuple[str, float, float]
    bio: str
    contacts: Contacts


def _day_weights(rng: random.Random, positive: bool) -> list[float]:
    """Cumulative weights of each day: a trend, weekly rhythm and bursts."""
    lunar_new_year = (21, 405)  # 2023-01-22 and 2024-02-10: demand peaks before them
    afcon = range(377, 407)  # 2024 Africa Cup of Nations, hosted by Côte d'Ivoire
    bursts = [rng.randrange(DAYS - 10) for _ in range(4)]
    cum, total = [], 0.0
    for day in range(DAYS):
        w = 1.0 + 0.8 * day / DAYS
        w *= 1.2 if day % 7 in (5, 6) else 1.0  # 2023-01-01 is a Sunday; roughly weekends
        if positive:
            if day > 560:  # a platform crackdown in mid-2024 halves the open trade
                w *= 0.5
            for peak in lunar_new_year:
                if peak - 25 <= day <= peak + 2:
                    w *= 1 + 2.5 * math.exp(-abs(peak - day) / 6)
            if any(b <= day < b + 7 for b in bursts):
                w *= 3.0
        elif day in afcon:
            w *= 1.5
        total += w
        cum.append(total)
    return cum


def _vi_ascii_table() -> dict[int, str]:
    """Vietnamese without diacritics ("ngà voi" -> "nga voi"), as many people type it."""
    table = {ord("đ"): "d", ord("Đ"): "D"}
    for code in range(0xC0, 0x1F00):
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0]
        if base != char and base.isascii():
            table[code] = base
    return table


_VI_ASCII = _vi_ascii_table()


def _cum(weights: Sequence[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def _needs(template: str) -> frozenset[str]:
    return frozenset(f for _, f, _, _ in string.Formatter().parse(template) if f)


class _Generator:
    def __init__(self, n: int, seed: int, positive_share: float):
        self.rng = rng = random.Random(seed)
        self.share = positive_share
        self.pos_cum = _day_weights(rng, True)
        self.neg_cum = _day_weights(rng, False)
        self.handles: set[str] = set()
        n_pos, n_neg = n * positive_share, n * (1 - positive_share)
        self.sellers: dict[str, list[_User]] = {}
        self.people: dict[str, list[_User]] = {}
        for lang in LANGUAGES:
            k_sell = max(3, min(2000, round(n_pos * _POS_LANG_WEIGHTS[lang] / 100 / 6)))
            k_people = max(10, min(10000, round(n_neg * _NEG_LANG_WEIGHTS[lang] / 100 / 4)))
            self.sellers[lang] = [self._user(lang, True) for _ in range(k_sell)]
            self.people[lang] = [self._user(lang, False) for _ in range(k_people)]
        self.pos_langs, self.pos_lang_cum = list(_POS_LANG_WEIGHTS), _cum(_POS_LANG_WEIGHTS.values())
        self.neg_langs, self.neg_lang_cum = list(_NEG_LANG_WEIGHTS), _cum(_NEG_LANG_WEIGHTS.values())
        self.product_cum = _cum(ph.PRODUCT_WEIGHTS)
        self.pos_platform_cum = _cum(_POS_PLATFORM_WEIGHTS)
        self.neg_platform_cum = _cum(_NEG_PLATFORM_WEIGHTS)
        self.needs: dict[str, frozenset[str]] = {}
        self.rand = rng.random
        # routes, rings and their pictures: a stream of their own (see demo/routes.py)
        self.side = random.Random(f"wildsift-demo-routes-{seed}")
        self.ring_of: dict[str, int] = {}
        self.rings: list[list[str]] = []
        self._make_rings()

    def _make_rings(self) -> None:
        """A few rings of busy sellers sharing one set of contacts (the first member's)."""
        for langs in rt.RINGS:
            members: list[_User] = []
            for lang in langs:
                busy = [u for u in self.sellers[lang][:6] if u.handle not in self.ring_of
                        and u not in members]
                if busy:
                    members.append(self.side.choice(busy))
            if len(members) < 2:
                continue
            for member in members:
                member.contacts = members[0].contacts
                self.ring_of[member.handle] = len(self.rings)
            self.rings.append([m.handle for m in members])

    def pick(self, seq: Sequence):
        return seq[int(self.rand() * len(seq))]

    def wpick(self, seq: Sequence, cum: list[float]):
        return seq[bisect(cum, self.rand() * cum[-1])]

    def randint(self, low: int, high: int) -> int:
        return low + int(self.rand() * (high - low + 1))

    def _user(self, lang: str, seller: bool) -> _User:
        rng = self.rng
        name = handle(rng, lang, seller)
        while name in self.handles:
            name = f"{name}{rng.randrange(10)}"
        self.handles.add(name)
        countries, weights = LANG_COUNTRIES[lang]
        country = rng.choices(countries, weights)[0]
        ids = contacts(rng, country, name)
        if seller:
            bio = rng.choice(ph.SELLER_BIOS[lang]).format(**ids.fields())
        else:
            bio = rng.choice(neg.BIOS[lang])
            if rng.random() < 0.05:
                bio = f"{bio} {ids.email}".strip()
        return _User(name, lang, country, rng.choice(CITIES[country]), bio, ids)

    def _pick(self, _rng: random.Random, pool: list[_User]) -> _User:
        return pool[int(len(pool) * self.rand() ** 2)]  # a few accounts post most

    def _fill(self, template: str, user: _User, item: str = "", cheap: bool = False) -> str:
        """Fill only the placeholders ``template`` uses (the generator's hot path)."""
        needs = self.needs.get(template)
        if needs is None:
            needs = self.needs[template] = _needs(template)
        fields = {"city": user.city[0], "item": item}
        if "price" in needs:
            fmt, low, high = self.pick(ph.PRICES[user.country])
            if cheap:  # a used bike costs less than a rhino horn
                high = max(low, high // 8)
            fields["price"] = fmt.format(n=self.randint(low, high))
        if "qty" in needs:
            fmt, low, high = self.pick(ph.QUANTITIES[user.lang])
            fields["qty"] = fmt.format(n=self.randint(low, high))
        if "contact" in needs:
            fields["contact"] = self.pick(ph.CONTACT_TEMPLATES[user.lang]).format(
                **user.contacts.fields())
        if "extra" in needs:
            fields["extra"] = self.pick(ph.EXTRAS[user.lang])
        return template.format_map(fields)

    def post(self, index: int, include_topic: bool) -> dict:
        rng = self.rng
        positive = rng.random() < self.share
        reply_to = None
        if positive:
            lang = self.wpick(self.pos_langs, self.pos_lang_cum)
            kind, template = self.pick(ph.TEMPLATES[lang])
            product = self.wpick(ph.PRODUCTS, self.product_cum)
            if kind == "reply":
                user = self._pick(rng, self.people[lang])
                reply_to = self._pick(rng, self.sellers[lang]).handle
            else:
                user = self._pick(rng, self.sellers[lang])
            item = self.pick(ph.ITEMS[lang][product])
            if lang in _LATIN and rng.random() < 0.1 and len(item) > 4:
                i = int(rng.random() * (len(item) - 1))  # a typo: two letters swapped
                item = item[:i] + item[i + 1] + item[i] + item[i + 2:]
            text = self._fill(template, user, item)
            if kind != "reply":
                text = self._route(user, lang, text)
            topic, image_cat = product, ph.PRODUCT_IMAGES[product]
            tags, emoji, media_p = ph.HASHTAGS[lang], _POS_EMOJI, 0.55
            if lang != "en" and rng.random() < 0.1:
                text = f"{text} {self.pick(_MIXED)}"
            platform = "weibo" if lang == "zh-Hans" and rng.random() < 0.5 else self.wpick(
                _PLATFORMS, self.pos_platform_cum)
            day = bisect(self.pos_cum, rng.random() * self.pos_cum[-1])
        else:
            lang = self.wpick(self.neg_langs, self.neg_lang_cum)
            pool = self.sellers[lang] if rng.random() < 0.05 else self.people[lang]
            user = self._pick(rng, pool)
            if rng.random() < 0.45:
                topic, template = self.pick(neg.HARD[lang])
                tags = neg.HASHTAGS[topic]
                media_p = 0.35
            else:
                topic, template = "chatter", self.pick(neg.CHATTER[lang])
                tags, media_p = neg.HASHTAGS["chatter"], 0.15
                if rng.random() < 0.05:
                    reply_to = self._pick(rng, self.people[lang]).handle
            text = self._fill(template, user, cheap=True)
            image_cat, emoji = neg.TOPIC_IMAGES[topic], _NEG_EMOJI
            platform = "weibo" if lang == "zh-Hans" and rng.random() < 0.5 else self.wpick(
                _PLATFORMS, self.neg_platform_cum)
            day = bisect(self.neg_cum, rng.random() * self.neg_cum[-1])
            topic = topic if topic == "chatter" else f"hard:{topic}"

        # noise
        if lang == "vi" and rng.random() < 0.15:
            text = text.translate(_VI_ASCII)
        if lang in _LATIN and rng.random() < 0.04:
            text = text.upper()
        if rng.random() < 0.35:
            text = f"{text} {self.pick(emoji)}" + (self.pick(emoji) if rng.random() < 0.3 else "")
        mentions: list[str] = []
        if rng.random() < 0.08:
            mentions = list(dict.fromkeys(
                self._pick(rng, self.people[lang]).handle for _ in range(self.randint(1, 2))))
            text = f"{text} " + " ".join(f"@{m}" for m in mentions)
        hashtags: list[str] = []
        if rng.random() < 0.33:
            hashtags = list(dict.fromkeys(self.pick(tags) for _ in range(self.randint(1, 3))))
            text = f"{text} " + " ".join(f"#{h}" for h in hashtags)
        media = ""
        if rng.random() < media_p:
            media = "|".join(f"img/{image_cat}_{int(rng.random() * IMAGES_PER_CATEGORY):03d}.jpg"
                             for _ in range(self.randint(1, 3)))

        lat = lon = place = country = None
        where = rng.random()
        if where < 0.30:
            place, clat, clon = user.city
            lat, lon = round(clat + rng.gauss(0, 0.04), 5), round(clon + rng.gauss(0, 0.04), 5)
            country = user.country
        elif where < 0.45:
            place, country = user.city[0], user.country

        if positive and reply_to is None and user.handle in self.ring_of:
            text, mentions, media = self._ring(user, text, mentions, media)

        seconds = day * 86400 + int(rng.random() * 86400)
        record = {
            "id": f"demo-{index:07d}",
            "created_at": datetime.fromtimestamp(_START_TS + seconds, UTC).isoformat(),
            "platform": platform,
            "text": text,
            "author": user.handle,
            "author_description": user.bio or None,
            "lang": lang,
            "lat": lat,
            "lon": lon,
            "place": place,
            "country": country,
            "reply_to": reply_to,
            "mentions": "|".join(mentions),
            "hashtags": "|".join(hashtags),
            "media": media,
            "source": SOURCE,
            "label": "1" if positive else "0",
        }
        if include_topic:
            record["topic"] = topic
        return record


    def _route(self, user: _User, lang: str, text: str) -> str:
        """A seller's offer says where its goods go or come from (side stream only)."""
        share = rt.HUB_ROUTE_SHARE if user.country in rt.HUBS else rt.ROUTE_SHARE
        if self.side.random() < share:
            phrase = rt.route_phrase(self.side, lang, user.country)
            if phrase:
                return f"{text} {phrase}"
        return text

    def _ring(self, user: _User, text: str, mentions: list[str], media: str
              ) -> tuple[str, list[str], str]:
        """A ring member shows the ring's pictures and mentions another member."""
        side, ring = self.side, self.ring_of[user.handle]
        if media and side.random() < rt.RING_IMAGE_SHARE:
            media = "|".join(rt.ring_image(ring, side.randrange(rt.RING_IMAGES))
                             for _ in media.split("|"))
        others = [h for h in self.rings[ring] if h != user.handle]
        if others and side.random() < rt.RING_MENTION_SHARE:
            partner = side.choice(others)
            if partner not in mentions:
                mentions = [*mentions, partner]
                text = f"{text} @{partner}"
        return text, mentions, media


def generate_posts(n: int, seed: int = 0, positive_share: float | None = None, *,
                   include_topic: bool = False) -> Iterator[dict]:
    """Yield ``n`` SYNTHETIC posts as dicts with the import columns (:data:`COLUMNS`).

    ``positive_share`` is the expected share of trade posts (label "1"); the demo default is
    :data:`DEMO_POSITIVE_SHARE`, benchmarks use a realistic 2%. ``include_topic`` adds a
    ``topic`` key (a product such as "ivory_bangle", "hard:jaguar_car" or "chatter") for tests
    and evaluation; it is not an import column. Missing values are ``None``; list columns
    (mentions, hashtags, media) are ``|``-joined strings.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    share = DEMO_POSITIVE_SHARE if positive_share is None else positive_share
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"positive_share must be between 0 and 1, got {share}")
    generator = _Generator(n, seed, share)
    for index in range(n):
        yield generator.post(index, include_topic)
