"""Download a post's images safely: public addresses only, bounded size, images only.

A URL in a post is chosen by whoever wrote the post. Fetching it blindly from a laptop inside an
NGO's network or a cloud VM lets that person make us read ``http://169.254.169.254/`` (cloud
credentials), a router's admin page or a service on localhost (server-side request forgery).
So, for the first request and after every redirect:

- only ``http`` and ``https``;
- the host is resolved here, every address must be public (not loopback, private, link-local,
  multicast, reserved or unspecified), and the connection goes to the address that was checked
  (the Host header and TLS SNI keep the name), so a second DNS answer cannot swap it (rebinding);
- at most ``max_redirects`` hops, each checked the same way;
- the answer must say ``image/*`` and stay under ``max_bytes`` while it streams.

The image is then re-encoded without metadata (:mod:`wildsift.privacy.media`) and stored by
its sha256.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from wildsift.errors import RecordError
from wildsift.privacy.media import CleanImage, MediaLimits, MediaStore, clean_image
from wildsift.records import Media
from wildsift.sources.http import USER_AGENT

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class DownloadRefused(RecordError):
    """A media URL we will not or cannot fetch; the post is kept, the image is not."""


def is_public_address(address: Address) -> bool:
    """True for an address on the public internet (what a post's image URL should point to)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def _resolve(host: str, port: int) -> list[Address]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(info[4][0]) for info in infos]


@dataclass
class MediaDownloader:
    """Fetch image URLs under the rules above; ``allow`` and ``resolve`` are injectable (tests)."""

    limits: MediaLimits = field(default_factory=MediaLimits)
    timeout: float = 15.0
    max_redirects: int = 3
    allow: Callable[[Address], bool] = is_public_address
    resolve: Callable[[str, int], list[Address]] = _resolve
    transport: httpx.BaseTransport | None = None
    # applied to each cleaned image before it is stored: e.g. faces blurred when the study's
    # [privacy] blur_faces = "always" (wildsift.privacy.faces.blur_at_ingest)
    transform: Callable[[CleanImage], CleanImage] | None = None

    def __post_init__(self) -> None:
        self.client = httpx.Client(timeout=self.timeout, transport=self.transport,
                                   follow_redirects=False, headers={"User-Agent": USER_AGENT})

    def close(self) -> None:
        self.client.close()

    def fetch(self, url: str) -> bytes:
        """The bytes of the image at ``url``, or :class:`DownloadRefused` saying why."""
        for _hop in range(self.max_redirects + 1):
            pinned, host = self._check(url)
            try:
                with self.client.stream("GET", pinned, headers={"Host": host},
                                        extensions={"sni_hostname": host.split(":")[0]}
                                        ) as response:
                    if response.is_redirect:
                        location = response.headers.get("Location", "")
                        url = urljoin(url, location)
                        continue
                    return self._body(response, url)
            except httpx.HTTPError as exc:
                raise DownloadRefused(f"cannot fetch {_safe(url)}: {type(exc).__name__}",
                                      field="media") from None
        raise DownloadRefused(f"more than {self.max_redirects} redirects from {_safe(url)}",
                              field="media")

    def _check(self, url: str) -> tuple[str, str]:
        """The URL rewritten to a checked address, and the Host header to send."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise DownloadRefused(f"only http(s) URLs are fetched, not {_safe(url)}",
                                  field="media")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            addresses = self.resolve(parts.hostname, port)
        except (OSError, UnicodeError):
            raise DownloadRefused(f"cannot resolve {parts.hostname}", field="media") from None
        if not addresses:
            raise DownloadRefused(f"{parts.hostname} has no address", field="media")
        refused = [a for a in addresses if not self.allow(a)]
        if refused:
            raise DownloadRefused(f"{parts.hostname} resolves to a non-public address "
                                  f"({refused[0]}); refused", field="media")
        address = addresses[0]
        literal = f"[{address}]" if address.version == 6 else str(address)
        netloc = literal if parts.port is None else f"{literal}:{parts.port}"
        host = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
        return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, "")), host

    def _body(self, response: httpx.Response, url: str) -> bytes:
        if response.status_code != 200:
            raise DownloadRefused(f"{_safe(url)} answered HTTP {response.status_code}",
                                  field="media")
        kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if not kind.startswith("image/"):
            raise DownloadRefused(f"{_safe(url)} is {kind or 'untyped'}, not an image",
                                  field="media")
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.limits.max_bytes:
            raise DownloadRefused(f"{_safe(url)} is {declared} bytes, over the limit",
                                  field="media")
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.limits.max_bytes:
                raise DownloadRefused(f"{_safe(url)} is over {self.limits.max_bytes} bytes",
                                      field="media")
            chunks.append(chunk)
        return b"".join(chunks)

    def save(self, media: Media, store: MediaStore) -> Media:
        """``media`` with the sha256 of its stored, cleaned image (videos: their thumbnail)."""
        url = media.url if media.kind == "image" else media.thumbnail
        if not url:
            return media
        image: CleanImage = clean_image(self.fetch(url), self.limits, where=_safe(url))
        if self.transform is not None:
            image = self.transform(image)
        store.put(image)
        media.sha256 = image.sha256
        return media


def _safe(url: str) -> str:
    """A URL for a message: no query string (it can hold signatures or tokens)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
