"""Download a post's images safely: public addresses only, bounded size, images only.

A URL in a post is chosen by whoever wrote the post. Fetching it blindly from a laptop inside an
NGO's network or a cloud VM lets that person make us read ``http://169.254.169.254/`` (cloud
credentials), a router's admin page or a service on localhost (server-side request forgery).
So, for the first request and after every redirect:

- only ``http`` and ``https``;
- a host written as an address, in any of the forms ``inet_aton`` accepts (``2130706433``,
  ``0177.0.0.1``, ``0x7f.0.0.1``, ``127.1``) or as IPv6, is read here and never given to a
  resolver, so a resolver that reads it differently cannot send us elsewhere;
- a name is resolved here, every address must be public (not loopback, private, link-local,
  multicast, reserved, shared, benchmarking or unspecified; IPv4 inside IPv6 — mapped,
  compatible, translated, NAT64, 6to4 — is judged by its IPv4 address), and the connection goes
  to the address that was checked (the Host header and TLS SNI keep the name), so a second DNS
  answer cannot swap it (rebinding);
- at most ``max_redirects`` hops, each checked the same way;
- the answer must say ``image/*``, stay under ``max_bytes`` while it streams (a lying or absent
  ``Content-Length`` changes nothing) and arrive within ``max_seconds`` in all (a server that
  trickles a byte at a time cannot hold a worker).

Every refusal is a :class:`DownloadRefused` that names the URL as given (without user info or
query string: they can hold tokens) and the reason; nothing else escapes :meth:`save`, so one
hostile URL never stops the rest of a batch.

The image is then re-encoded without metadata (:mod:`wildsift.privacy.media`) and stored by
its sha256.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from wildsift.errors import RecordError
from wildsift.privacy.media import (
    CleanImage,
    MediaLimits,
    MediaRefused,
    MediaStore,
    clean_image,
)
from wildsift.records import Media
from wildsift.sources.http import USER_AGENT

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class DownloadRefused(RecordError):
    """A media URL we will not or cannot fetch; the post is kept, the image is not."""


# IPv6 prefixes that carry an IPv4 address in their last 32 bits and reach it through a
# translator (NAT64 RFC 6052 / RFC 8215, SIIT "IPv4-translated" RFC 2765): judged by that IPv4.
_V4_IN_V6 = tuple(ipaddress.ip_network(n) for n in ("64:ff9b::/96", "64:ff9b:1::/48",
                                                      "::ffff:0:0:0/96"))
# Deprecated or special ranges Python's ``is_global`` still calls global: IPv4-compatible IPv6
# (::a.b.c.d, RFC 4291), site-local (fec0::/10, RFC 3879), the 6to4 relay anycast (RFC 7526).
_NEVER = tuple(ipaddress.ip_network(n) for n in ("::/96", "fec0::/10", "192.88.99.0/24"))


def is_public_address(address: Address) -> bool:
    """True for an address on the public internet (what a post's image URL should point to)."""
    if isinstance(address, ipaddress.IPv6Address):
        address = ipaddress.IPv6Address(int(address))  # drop a zone id (%eth0)
        if address.ipv4_mapped:
            address = address.ipv4_mapped
        elif any(address in net for net in _V4_IN_V6):
            address = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        elif address.sixtofour:
            address = address.sixtofour
        elif address.teredo:
            return False  # a tunnel to a host we cannot see
    if any(address.version == n.version and address in n for n in _NEVER):
        return False
    return address.is_global and not address.is_multicast


def literal_address(host: str) -> Address | None:
    """The address a URL's host names when it is written as one: IPv6, dotted IPv4, or the
    legacy forms browsers and ``inet_aton`` accept (decimal, octal, hex, short); else None."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if not re.fullmatch(r"[0-9a-fA-FxX.]+", host) or not host[0].isdigit():
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host.rstrip(".")))
    except (OSError, ValueError):
        return None


def _resolve(host: str, port: int) -> list[Address]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(info[4][0]) for info in infos]


class _Refused(Exception):
    """Why one hop was refused; :meth:`MediaDownloader.fetch` adds the URL."""


@dataclass
class MediaDownloader:
    """Fetch image URLs under the rules above. ``allow``, ``resolve``, ``transport`` and
    ``clock`` are injectable: tests route connections to local servers and never wait."""

    limits: MediaLimits = field(default_factory=MediaLimits)
    timeout: float = 15.0
    max_seconds: float = 120.0  # the whole download, however slowly the bytes come
    max_redirects: int = 3
    allow: Callable[[Address], bool] = is_public_address
    resolve: Callable[[str, int], list[Address]] = _resolve
    transport: httpx.BaseTransport | None = None
    clock: Callable[[], float] = time.monotonic
    # applied to each cleaned image before it is stored: e.g. faces blurred when the study's
    # [privacy] blur_faces = "always" (wildsift.privacy.faces.blur_at_ingest)
    transform: Callable[[CleanImage], CleanImage] | None = None

    def __post_init__(self) -> None:
        self.client = httpx.Client(timeout=self.timeout, transport=self.transport,
                                   follow_redirects=False, headers={"User-Agent": USER_AGENT})

    def close(self) -> None:
        self.client.close()

    def fetch(self, url: str) -> bytes:
        """The bytes of the image at ``url``, or :class:`DownloadRefused` naming the URL (and
        the hop, after a redirect) and the reason."""
        hop = url
        try:
            for _ in range(self.max_redirects + 1):
                location = self._get(hop)
                if isinstance(location, bytes):
                    return location
                hop = urljoin(hop, location)
            raise _Refused(f"more than {self.max_redirects} redirects")
        except _Refused as refusal:
            via = f" (redirected to {safe_url(hop)})" if hop != url else ""
            raise DownloadRefused(f"{safe_url(url)}{via}: {refusal}", field="media") from None

    def _get(self, url: str) -> bytes | str:
        """One hop: the body, or the ``Location`` to follow next."""
        pinned, host, name = self._check(url)
        started = self.clock()
        try:
            with self.client.stream("GET", pinned, headers={"Host": host},
                                    extensions={"sni_hostname": name}) as response:
                if response.is_redirect:
                    return response.headers.get("Location", "")
                return self._body(response, started)
        except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
            raise _Refused(f"cannot fetch it ({type(exc).__name__})") from None

    def _check(self, url: str) -> tuple[str, str, str]:
        """The URL rewritten to a checked address, the Host header to send, and the name (TLS
        SNI and certificate check)."""
        try:
            parts = urlsplit(url)
            hostname, port = parts.hostname, parts.port
        except ValueError as exc:  # a bad port, an unclosed [
            raise _Refused(f"not a valid URL ({exc})") from None
        if parts.scheme not in ("http", "https") or not hostname:
            raise _Refused("only http(s) URLs with a host are fetched")
        port = port or (443 if parts.scheme == "https" else 80)
        address = literal_address(hostname)
        if address is not None:
            addresses = [address]
        else:
            try:
                addresses = self.resolve(hostname, port)
            except (OSError, UnicodeError, ValueError):
                raise _Refused(f"cannot resolve {hostname}") from None
        if not addresses:
            raise _Refused(f"{hostname} has no address")
        refused = [a for a in addresses if not self.allow(a)]
        if refused:
            raise _Refused(f"{hostname} resolves to a non-public address ({refused[0]}); refused")
        address = addresses[0]
        literal = f"[{address}]" if address.version == 6 else str(address)
        netloc = literal if parts.port is None else f"{literal}:{parts.port}"
        name = f"[{hostname}]" if ":" in hostname else hostname
        host = name if parts.port is None else f"{name}:{parts.port}"
        pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
        return pinned, host, hostname

    def _body(self, response: httpx.Response, started: float) -> bytes:
        if response.status_code != 200:
            raise _Refused(f"answered HTTP {response.status_code}")
        kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if not kind.startswith("image/"):
            raise _Refused(f"is {kind or 'untyped'}, not an image")
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.limits.max_bytes:
            raise _Refused(f"is {declared} bytes, over the limit of {self.limits.max_bytes}")
        body = bytearray()  # grows to the limit at most; the announced length is not trusted
        for chunk in response.iter_bytes():
            if len(body) + len(chunk) > self.limits.max_bytes:
                raise _Refused(f"is over the limit of {self.limits.max_bytes} bytes "
                               f"(announced: {declared or 'no length'})")
            body += chunk
            if self.clock() - started > self.max_seconds:
                raise _Refused(f"took over {self.max_seconds:.0f} s to arrive; given up")
        return bytes(body)

    def save(self, media: Media, store: MediaStore) -> Media:
        """``media`` with the sha256 of its stored, cleaned image (videos: their thumbnail)."""
        url = media.url if media.kind == "image" else media.thumbnail
        if not url:
            return media
        data = self.fetch(url)
        try:
            image: CleanImage = clean_image(data, self.limits, where=safe_url(url))
        except MediaRefused as exc:
            raise DownloadRefused(f"{safe_url(url)}: {exc.reason}", field="media") from None
        if self.transform is not None:
            image = self.transform(image)
        store.put(image)
        media.sha256 = image.sha256
        return media


def safe_url(url: str) -> str:
    """A URL for a message: no user info, query string or fragment (they can hold tokens)."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc.rpartition("@")[2]
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))[:300]
    except ValueError:
        return "<an unreadable URL>"

