"""Near-duplicate search over 64-bit perceptual hashes: multi-index hashing, all pairs, clusters.

Pure numpy/scipy over hash values, below every package that reads them: sift marks posts that
show a reused image (``sift/vision/image_reuse.py``) and analysis groups the stored hashes for the
report (``analysis/image_clusters.py``); neither imports the other.

Why multi-index hashing (Norouzi, Punjani & Fleet, CVPR 2012) rather than a BK-tree: split each
hash into ``chunks`` chunks of ``64 / chunks`` bits. If two hashes differ in at most ``d`` bits,
then (pigeonhole) at least one chunk differs in at most ``r = d // chunks`` bits. So one table per
chunk (positions sorted by that chunk's value, with bucket offsets) gives every candidate by
looking up the few chunk values within ``r`` bits of the query's chunk; candidates are then
checked with a vectorised popcount. With 4 chunks of 16 bits, ``d`` up to 11 needs ``r <= 2``
(137 lookups per chunk), which answers a query among a million hashes in well under a millisecond
(see docs/benchmarks.md, where a BK-tree and a brute-force scan are measured beside it). Results
are exact: the same set a brute-force scan returns.

All pairs within ``d`` (for clustering): every hash probes, per chunk, the buckets ``r`` bits
from its own; candidates are checked in blocks of bounded size, so memory does not grow with the
square of the number of hashes (the work is ``n`` probes per mask plus the candidate pairs, a
small share of all pairs: about 0.8% with 16-bit chunks, 0.03% with 22-bit ones). Equal
hashes are collapsed first (a photo reposted a thousand times is one value), and clusters are the
connected components of the pairs (scipy's union-find), so near-copies of near-copies join.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import combinations

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from wildsift.errors import ConfigError, InputError

DEFAULT_MAX_DISTANCE = 8  # bits of 64: re-encoded, resized, brightened, slightly cropped copies
WIDE_FROM = 200_000  # distinct hashes from which all-pairs search uses 3 wider chunks
PAIR_BLOCK = 2_000_000  # candidate pairs checked at once (about 50 MB of work arrays)


def to_uint64(hashes: Sequence[str]) -> np.ndarray:
    """16-hex-digit hashes (as stored in images.phash) to a uint64 array."""
    items = list(hashes)
    bad = next((i for i, h in enumerate(items) if not isinstance(h, str) or len(h) != 16), None)
    if bad is not None:
        raise InputError(f"hash #{bad} ({items[bad]!r}) is not 16 hex digits; drop empty "
                            "hashes first (images not hashed yet: run the phash stage)")
    try:
        raw = bytes.fromhex("".join(items))
    except ValueError as error:
        raise InputError(f"a hash is not hexadecimal: {error}") from None
    return np.frombuffer(raw, dtype=">u8").astype(np.uint64)


def to_hex(values: np.ndarray) -> list[str]:
    """The inverse of :func:`to_uint64`."""
    return [f"{int(v):016x}" for v in np.asarray(values, dtype=np.uint64)]


_BYTE_BITS = np.array([i.bit_count() for i in range(256)], dtype=np.uint8)


def popcount(values: np.ndarray) -> np.ndarray:
    """Set bits of each uint64 (numpy >= 2 has it built in; a byte table otherwise)."""
    values = np.asarray(values, dtype=np.uint64)
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(values).astype(np.int64)
    return _BYTE_BITS[values.view(np.uint8).reshape(*values.shape, 8)].sum(-1, dtype=np.int64)


@lru_cache(maxsize=32)
def _masks(bits: int, radius: int) -> np.ndarray:
    """Every ``bits``-bit value with at most ``radius`` bits set (XOR with them to probe)."""
    out = [0]
    for k in range(1, radius + 1):
        out += [sum(1 << b for b in combo) for combo in combinations(range(bits), k)]
    return np.array(out, dtype=np.int64)


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(s, s + n)`` for each start and count, without a Python loop."""
    total = int(counts.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    shift = np.repeat(starts - (np.cumsum(counts) - counts), counts)
    return shift + np.arange(total, dtype=np.int64)


class HashIndex:
    """An exact Hamming-distance index over 64-bit hashes (multi-index hashing).

    ``HashIndex(values)`` with a uint64 array (see :func:`to_uint64`); positions returned by
    :meth:`query` and :meth:`pairs` index into ``values``.
    """

    def __init__(self, values: np.ndarray, chunks: int = 4):
        if not 3 <= chunks <= 8:
            raise ConfigError(f"chunks must be 3-8 (chunks of 22 to 8 bits), not {chunks}")
        self.values = np.ascontiguousarray(values, dtype=np.uint64)
        self.chunks = chunks
        # 64 bits in near-equal chunks, the wider ones first (3 chunks: 22 + 21 + 21 bits).
        self.widths = [64 // chunks + (c < 64 % chunks) for c in range(chunks)]
        self.shifts = [sum(self.widths[:c]) for c in range(chunks)]
        position_type = np.int32 if len(self.values) < 2**31 else np.int64
        self._orders: list[np.ndarray] = []
        self._starts: list[np.ndarray] = []
        for c in range(chunks):
            keys = self._chunk(self.values, c)
            order = np.argsort(keys, kind="stable").astype(position_type)
            counts = np.bincount(keys, minlength=1 << self.widths[c])
            self._orders.append(order)
            self._starts.append(np.concatenate(([0], np.cumsum(counts))).astype(position_type))

    def __len__(self) -> int:
        return len(self.values)

    @property
    def nbytes(self) -> int:
        return self.values.nbytes + sum(a.nbytes for a in (*self._orders, *self._starts))

    def _chunk(self, values, c: int) -> np.ndarray:
        mask = np.uint64((1 << self.widths[c]) - 1)
        return ((values >> np.uint64(self.shifts[c])) & mask).astype(np.int64)

    def _radius(self, max_distance: int) -> int:
        if not 0 <= max_distance < 64:
            raise ConfigError(f"max_distance must be 0-63 bits, not {max_distance}")
        return max_distance // self.chunks

    def query(self, value: int | str, max_distance: int = DEFAULT_MAX_DISTANCE
              ) -> tuple[np.ndarray, np.ndarray]:
        """Positions of every hash within ``max_distance`` bits of ``value``, and the distances
        (nearest first)."""
        if isinstance(value, str):
            value = int(to_uint64([value])[0])
        query = np.uint64(value)
        radius = self._radius(max_distance)
        found = []
        for c in range(self.chunks):
            masks = _masks(self.widths[c], radius)
            probes = int(self._chunk(query, c)) ^ masks
            starts = self._starts[c][probes]
            found.append(self._orders[c][_ranges(starts, self._starts[c][probes + 1] - starts)])
        candidates = np.concatenate(found)
        distances = popcount(self.values[candidates] ^ query)
        hit = distances <= max_distance
        positions, first = np.unique(candidates[hit], return_index=True)
        distances = distances[hit][first]
        order = np.lexsort((positions, distances))
        return positions[order].astype(np.int64), distances[order]

    def pairs(self, max_distance: int = DEFAULT_MAX_DISTANCE) -> pd.DataFrame:
        """Every pair of positions ``i < j`` whose hashes differ in at most ``max_distance`` bits:
        columns i, j, distance. Exact; candidates are checked in blocks of about ``PAIR_BLOCK``.

        Each item probes, per chunk, the buckets ``r`` bits from its own; a probe with a non-zero
        mask is made only from the smaller chunk value of the two, so each pair of buckets is
        joined once per chunk and mask.
        """
        radius = self._radius(max_distance)
        found: list[np.ndarray] = []
        for c in range(self.chunks):
            masks = _masks(self.widths[c], radius)
            keys = self._chunk(self.values, c)
            starts, order = self._starts[c], self._orders[c]
            for mask in masks:
                partner = keys ^ mask
                items = (np.flatnonzero(partner > keys) if mask else
                         np.arange(len(keys), dtype=np.int64))
                lo = starts[partner[items]]
                counts = starts[partner[items] + 1] - lo
                found += self._check(items, lo, counts, order, max_distance, same=(mask == 0))
        if not found:
            return pd.DataFrame({"i": [], "j": [], "distance": []}, dtype=np.int64)
        pairs = np.unique(np.concatenate(found), axis=0)
        return pd.DataFrame({"i": pairs[:, 0], "j": pairs[:, 1], "distance": pairs[:, 2]})

    def _check(self, items, lo, counts, order, max_distance: int, *,
               same: bool) -> list[np.ndarray]:
        """Pairs (item, each position in its probed bucket) within the distance, as rows of
        (i, j, distance) with i < j; in blocks so memory stays bounded."""
        out = []
        ends = np.cumsum(counts)
        first = 0
        while first < len(items):
            base = ends[first - 1] if first else 0
            last = max(first + 1, int(np.searchsorted(ends, base + PAIR_BLOCK, side="right")))
            part = slice(first, last)
            a = np.repeat(items[part], counts[part])
            b = order[_ranges(lo[part], counts[part])].astype(np.int64)
            first = last
            if same:
                keep = a < b
                a, b = a[keep], b[keep]
            distance = popcount(self.values[a] ^ self.values[b])
            hit = distance <= max_distance
            if hit.any():
                a, b = a[hit], b[hit]
                out.append(np.stack([np.minimum(a, b), np.maximum(a, b), distance[hit]], axis=1))
        return out


def cluster_hashes(keys: Sequence[str], hashes: Sequence[str],
                   max_distance: int = DEFAULT_MAX_DISTANCE, *, min_size: int = 2,
                   chunks: int | None = None) -> pd.DataFrame:
    """Group images whose hashes are within ``max_distance`` bits, transitively.

    ``keys`` (e.g. sha256) and their 16-hex-digit ``hashes``. Returns the images of clusters with
    at least ``min_size`` images: key, hash, cluster (1 = the biggest cluster; ties by smallest
    key), cluster_size. Equal hashes always share a cluster. ``chunks`` defaults to 4 (16-bit
    tables, 0.5 MB each) up to ``WIDE_FROM`` distinct hashes and 3 (22-bit tables) above, where
    fewer candidate pairs outweigh the bigger tables.
    """
    keys = list(keys)
    if len(keys) != len(hashes):
        raise InputError(f"{len(keys)} keys but {len(hashes)} hashes")
    columns = ["key", "hash", "cluster", "cluster_size"]
    if not keys:
        return pd.DataFrame(columns=columns)
    unique, inverse = np.unique(to_uint64(hashes), return_inverse=True)
    if chunks is None:
        chunks = 3 if len(unique) > WIDE_FROM else 4
    pairs = HashIndex(unique, chunks=chunks).pairs(max_distance)
    graph = coo_matrix((np.ones(len(pairs), dtype=np.int8), (pairs["i"], pairs["j"])),
                       shape=(len(unique), len(unique)))
    _, component = connected_components(graph, directed=False)
    frame = pd.DataFrame({"key": keys, "hash": list(hashes),
                          "component": component[inverse.ravel()]})
    frame["cluster_size"] = frame.groupby("component")["key"].transform("size")
    frame = frame[frame["cluster_size"] >= min_size]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    rank = (frame.groupby("component").agg(size=("key", "size"), first=("key", "min"))
            .sort_values(["size", "first"], ascending=[False, True]))
    number = pd.Series(np.arange(1, len(rank) + 1), index=rank.index)
    frame = frame.assign(cluster=frame["component"].map(number).astype(np.int64))
    return (frame.sort_values(["cluster", "key"])[columns].reset_index(drop=True))


def cluster_images(images: pd.DataFrame, max_distance: int = DEFAULT_MAX_DISTANCE, *,
                   column: str = "phash", min_size: int = 2) -> pd.DataFrame:
    """Clusters of near-duplicate images from a frame with ``sha256`` and the hash ``column``
    (as the images table stores them): sha256, ``column``, cluster, cluster_size. Images not
    hashed yet (empty, or not 16 hex digits) are left out."""
    images = images[images[column].notna() & (images[column].astype(str).str.len() == 16)]
    found = cluster_hashes(images["sha256"].tolist(), images[column].tolist(), max_distance,
                           min_size=min_size)
    return found.rename(columns={"key": "sha256", "hash": column})
