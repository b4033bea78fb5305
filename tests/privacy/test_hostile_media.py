"""Hostile media (issue 10, item 2.4): SSRF URLs, lying servers and hostile images.

A canary server on 127.0.0.1 stands for everything a post must never make us reach (cloud
metadata, a router, a service on localhost). Every connection the downloader opens goes
through :class:`hostile_servers.RoutingBackend`: the two "public" test addresses reach the
hostile server, anything else reaches the canary and is counted. Goal: 0 canary connections,
memory bounded by the size limit, one clear refusal per item (URL without query or user info,
and the reason), and the rest of the batch goes on.
"""

from __future__ import annotations

import io
import ipaddress
import itertools
import socket
import struct
import tracemalloc
import zipfile
import zlib

import httpx
import pytest
from hostile_servers import (
    PUBLIC_V4,
    PUBLIC_V6,
    RawServer,
    RoutingBackend,
    endless,
    head,
    redirect,
    routed_transport,
)
from PIL import Image

from wildsift.privacy.media import MediaLimits, MediaRefused, MediaStore, clean_image
from wildsift.records import Media, RawMedia, RawPost
from wildsift.sources.base import Call, Page
from wildsift.sources.download import DownloadRefused, MediaDownloader, is_public_address
from wildsift.sources.run import run_term

# -- images ------------------------------------------------------------------------------


def jpeg(size=(32, 24)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 90, 30)).save(buffer, format="JPEG")
    return buffer.getvalue()


def png(size=(16, 16)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 200, 10)).save(buffer, format="PNG")
    return buffer.getvalue()


def png_bomb(width=40_000, height=40_000) -> bytes:
    """An 8x8 PNG whose IHDR claims ``width`` x ``height`` (CRC fixed)."""
    data = bytearray(png((8, 8)))
    at = data.index(b"IHDR")
    data[at + 4:at + 12] = struct.pack(">II", width, height)
    data[at + 17:at + 21] = struct.pack(">I", zlib.crc32(bytes(data[at:at + 17])) & 0xFFFFFFFF)
    return bytes(data)


def gif(comment: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (8, 8), 1).save(buffer, format="GIF", comment=comment)
    return buffer.getvalue()


def gif_bomb() -> bytes:
    """A GIF whose screen and image descriptor claim 65535 x 65535."""
    data = bytearray(gif())
    data[6:10] = struct.pack("<HH", 65535, 65535)
    at = data.index(b"\x2c")  # the image descriptor
    data[at + 5:at + 9] = struct.pack("<HH", 65535, 65535)
    return bytes(data)


def jpeg_bomb() -> bytes:
    """A JPEG whose SOF0 claims 65500 x 65500."""
    data = bytearray(jpeg((8, 8)))
    at = data.index(b"\xff\xc0")
    data[at + 5:at + 9] = struct.pack(">HH", 65500, 65500)
    return bytes(data)


JS = b"*/=alert('polyglot');/*"


def gif_js_polyglot() -> bytes:
    """A GIF that is also a script: JS in a comment block and after the trailer."""
    return gif(comment=JS) + JS


def jpeg_zip_polyglot() -> bytes:
    """A JPEG with a ZIP archive appended (both readers accept it)."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("payload.html", "<script>steal()</script>")
    return jpeg() + archive.getvalue()


# -- servers -----------------------------------------------------------------------------
LIMIT = 2 * 1024 * 1024
IMAGE = jpeg()


def routes(canary_port: int) -> dict:
    ok = (head(200, "image/jpeg", length=len(IMAGE)), IMAGE)
    private = f"http://127.0.0.1:{canary_port}/secret"
    table = {
        "/image.jpg": ok,
        "/image.jpg?token=SECRET123": ok,
        "/to-loopback": redirect(private),
        "/to-metadata": redirect("http://169.254.169.254/latest/meta-data/", 301),
        "/to-decimal": redirect(f"http://2130706433:{canary_port}/", 307),
        "/to-mapped": redirect(f"http://[::ffff:127.0.0.1]:{canary_port}/", 308),
        "/to-scheme-relative": redirect(f"//127.0.0.1:{canary_port}/x", 303),
        "/to-private-name": redirect("http://internal.example/admin"),
        "/to-rebind": redirect("http://rebind.example/image.jpg"),
        "/hop1": redirect(f"http://{PUBLIC_V4}/hop2"),
        "/hop2": redirect("http://img.example/to-loopback"),
        "/to-file": redirect("file:///etc/passwd"),
        "/loop": redirect("/loop"),
        # lying and endless bodies
        "/liar-longer": (head(200, "image/jpeg", length=100), b"\xff" * (5 * LIMIT)),
        "/image-then-junk": (head(200, "image/jpeg", length=len(IMAGE)),
                             IMAGE + b"\xff" * (5 * LIMIT)),
        "/liar-shorter": (head(200, "image/jpeg", length=50_000), IMAGE[:500]),
        "/announced-huge": (head(200, "image/jpeg", length=100 * LIMIT), b""),
        "/endless-chunked": (head(200, "image/jpeg", chunked=True), endless()),
        "/endless-no-length": (head(200, "image/png"), endless(chunked=False)),
        "/trickle": (head(200, "image/jpeg", chunked=True), endless(b"\xff", chunked=True)),
        # wrong types and hostile images
        "/html-as-jpeg": (head(200, "image/jpeg", length=21), b"<html><script></html>"),
        "/html": (head(200, "text/html", length=7), b"<html/>"),
        "/untyped": (b"HTTP/1.1 200 X\r\nContent-Length: 3\r\nConnection: close\r\n\r\n", b"abc"),
        "/svg": (head(200, "image/svg+xml", length=40),
                 b'<svg xmlns="http://www.w3.org/2000/svg">'),
        "/eps": (head(200, "image/x-eps", length=40), b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0"),
        "/gif-js": (head(200, "image/gif", length=len(gif_js_polyglot())), gif_js_polyglot()),
        "/jpeg-zip": (head(200, "image/jpeg", length=len(jpeg_zip_polyglot())),
                      jpeg_zip_polyglot()),
        "/truncated.jpg": (head(200, "image/jpeg", length=len(jpeg((64, 64))) // 2),
                           jpeg((64, 64))[: len(jpeg((64, 64))) // 2]),
        "/truncated.png": (head(200, "image/png", length=60), png((64, 64))[:60]),
        "/bomb.png": (head(200, "image/png", length=len(png_bomb())), png_bomb()),
        "/bomb.gif": (head(200, "image/gif", length=len(gif_bomb())), gif_bomb()),
        "/bomb.jpg": (head(200, "image/jpeg", length=len(jpeg_bomb())), jpeg_bomb()),
    }
    return table


class Net:
    """The canary, the hostile "public" server, the routing backend and a test resolver."""

    NAMES = {
        "img.example": [PUBLIC_V4], "img6.example": [PUBLIC_V6],
        "localhost": ["127.0.0.1"], "internal.example": ["10.0.0.5"],
        "metadata.example": ["169.254.169.254"], "cgnat.example": ["100.64.1.1"],
        "bench.example": ["198.18.0.9"], "v6local.example": ["::1"],
        "ula.example": ["fd00::1"], "nat64.example": ["64:ff9b::7f00:1"],
        "mixed.example": [PUBLIC_V4, "127.0.0.1"],  # one bad answer is enough to refuse
    }

    def __init__(self):
        self.canary = RawServer(default=(head(200, "image/jpeg", length=len(IMAGE)), IMAGE))
        self.public = RawServer(routes(self.canary.port))
        self.backend = RoutingBackend(self.public.port, self.canary.port)
        self.asked: list[str] = []
        self.rebind_calls = 0

    def resolve(self, host: str, port: int):
        """Test DNS: fixed names; ``rebind.example`` answers public once, then 127.0.0.1."""
        self.asked.append(host)
        if host == "rebind.example":
            self.rebind_calls += 1
            answer = [PUBLIC_V4] if self.rebind_calls == 1 else ["127.0.0.1"]
        elif host in self.NAMES:
            answer = self.NAMES[host]
        else:
            raise socket.gaierror(f"unknown test host {host}")
        return [ipaddress.ip_address(a) for a in answer]

    def downloader(self, **kwargs) -> MediaDownloader:
        return MediaDownloader(resolve=self.resolve, transport=routed_transport(self.backend),
                               limits=kwargs.pop("limits", MediaLimits(max_bytes=LIMIT)),
                               **kwargs)

    def canary_connections(self) -> int:
        """Connections the canary saw, plus those the backend would have sent it."""
        return self.canary.connections + len(self.backend.canary_hits)


@pytest.fixture
def net():
    world = Net()
    yield world
    world.public.stop()
    assert world.canary.stop() == 0, "a connection reached the canary"


# -- > 50 SSRF URLs -------------------------------------------------------------------------
PRIVATE_V4 = [
    "10.0.0.1", "10.255.255.254", "172.16.0.1", "172.31.255.254", "192.168.0.1",
    "192.168.255.254", "127.0.0.1", "127.255.255.254", "169.254.169.254", "169.254.0.1",
    "100.64.0.1", "100.127.255.254", "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.250",
    "240.0.0.1", "255.255.255.255", "198.18.0.1", "198.19.255.254", "192.0.0.1", "192.0.2.1",
    "198.51.100.1", "203.0.113.1", "192.88.99.1",
]
PRIVATE_V6 = [
    "::1", "::", "fc00::1", "fd12:3456::1", "fe80::1", "fe80::1%25eth0", "fec0::1",
    "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:169.254.169.254", "::ffff:10.0.0.1",
    "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::a00:1", "::127.0.0.1",
    "::ffff:0:7f00:1", "2002:7f00:1::1", "2002:a9fe:a9fe::1",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",
    "ff02::1", "2001:db8::1", "100::1",
]
NUMERIC = [
    "2130706433", "0177.0.0.1", "0x7f.0.0.1", "127.1", "0x7f000001", "017700000001", "0x7f.1",
    "0", "127.0.0.1.", "3232235521", "0xa9fea9fe", "0251.0376.0251.0376", "2852039166",
    "10.1", "0x0a.0.0.1",
]
TRICKS = [
    "http://evil.com@127.0.0.1/", "http://user:SECRET@10.0.0.1/",
    "http://img.example@169.254.169.254/",
    "http://127.0.0.1#@img.example/", "http://127.0.0.1:80\\@img.example/",
    "http://localhost/", "http://internal.example/", "http://metadata.example/latest/",
    "http://cgnat.example/", "http://bench.example/", "http://v6local.example/",
    "http://ula.example/", "http://nat64.example/", "http://mixed.example/",
    "http://unknown.example/", "file:///etc/passwd", "gopher://127.0.0.1:6379/_INFO",
    "ftp://127.0.0.1/", "dict://127.0.0.1:11211/stats", "http:///etc/passwd",
    "http://[::1", "http://127.0.0.1:99999/", "https://127.0.0.1/", "https://[::1]:443/",
]
SSRF_URLS = ([f"http://{a}/img.jpg" for a in PRIVATE_V4]
             + [f"http://[{a}]/img.jpg" for a in PRIVATE_V6]
             + [f"http://{a}/img.jpg" for a in NUMERIC] + TRICKS)
REDIRECTS = ["/to-loopback", "/to-metadata", "/to-decimal", "/to-mapped", "/to-scheme-relative",
             "/to-private-name", "/hop1", "/to-file", "/loop"]


def test_there_are_more_than_fifty_ssrf_urls():
    assert len(SSRF_URLS) + len(REDIRECTS) > 50 + 30


@pytest.mark.parametrize("url", SSRF_URLS)
def test_ssrf_url_is_refused_without_a_connection(net, url):
    with pytest.raises(DownloadRefused) as info:
        net.downloader().fetch(url)
    assert net.canary_connections() == 0
    assert "SECRET" not in str(info.value)
    assert info.value.field == "media"


@pytest.mark.parametrize("path", REDIRECTS)
def test_public_to_private_redirects_are_refused(net, path):
    with pytest.raises(DownloadRefused, match="non-public|only http|redirects|resolve") as info:
        net.downloader().fetch(f"http://img.example{path}")
    assert net.canary_connections() == 0
    assert info.value.reason.startswith(f"http://img.example{path}")


def test_ip_literals_never_reach_the_resolver(net):
    for url in [f"http://{a}/" for a in NUMERIC] + [f"http://[{a}]/" for a in PRIVATE_V6[:5]]:
        with pytest.raises(DownloadRefused, match="non-public"):
            net.downloader().fetch(url)
    assert net.asked == []


def test_dns_rebinding_cannot_reach_the_canary(net):
    """The name is resolved once per hop and the checked address is the one connected to:
    the second answer (127.0.0.1) is never used."""
    assert net.downloader().fetch("http://rebind.example/image.jpg") == IMAGE
    assert net.rebind_calls == 1 and net.canary_connections() == 0
    with pytest.raises(DownloadRefused, match="non-public"):  # the next hop asks again: refused
        net.downloader().fetch("http://img.example/to-rebind")
    assert net.canary_connections() == 0


def test_the_harness_would_see_a_leak(net):
    """Control: a client that lets httpx resolve the name itself is routed to the canary."""
    with httpx.Client(transport=routed_transport(net.backend)) as naive:
        naive.get("http://rebind.example/image.jpg")
    assert net.backend.canary_hits == [("rebind.example", 80)]
    net.backend.canary_hits.clear()
    net.canary.connections = 0  # the control's connection; the fixture checks the rest


def test_real_network_loopback_forms_do_not_connect(net):
    """The default resolver and transport, aimed at the canary's real port."""
    port = net.canary.port
    for host in ("127.0.0.1", "2130706433", "0x7f.0.0.1", "0177.0.0.1", "127.1", "localhost",
                 "[::ffff:127.0.0.1]", "[::1]", "evil.com@127.0.0.1"):
        with pytest.raises(DownloadRefused, match="non-public"):
            MediaDownloader().fetch(f"http://{host}:{port}/img.jpg")
    assert net.canary.connections == 0


def test_public_addresses_still_work(net):
    assert net.downloader().fetch("http://img.example/image.jpg") == IMAGE
    assert net.downloader().fetch("http://img6.example/image.jpg") == IMAGE
    assert net.downloader().fetch(f"http://{PUBLIC_V4}/image.jpg") == IMAGE
    assert is_public_address(ipaddress.ip_address("64:ff9b::5db8:d822"))  # NAT64 of a public


# -- lying servers, endless bodies ------------------------------------------------------------
@pytest.mark.parametrize("path,reason", [
    ("/liar-longer", "not an image"),   # only the announced 100 bytes are read
    ("/liar-shorter", "cannot fetch"),                # the connection ends early
    ("/announced-huge", "over the limit"),
    ("/endless-chunked", "over the limit"),
    ("/endless-no-length", "over the limit"),
])
def test_lying_and_endless_bodies_stop_at_the_limit(net, tmp_path, path, reason):
    with pytest.raises(DownloadRefused, match=reason):
        net.downloader().save(Media(kind="image", url=f"http://img.example{path}"),
                              MediaStore(tmp_path))
    assert not list(tmp_path.rglob("*.*"))


def test_bytes_past_the_announced_length_are_never_read(net):
    assert net.downloader().fetch("http://img.example/image-then-junk") == IMAGE


def test_an_endless_body_keeps_memory_under_the_limit(net):
    tracemalloc.start()
    try:
        with pytest.raises(DownloadRefused, match="over the limit"):
            net.downloader().fetch("http://img.example/endless-chunked")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * LIMIT, f"peak {peak} bytes for a {LIMIT}-byte limit"


def test_a_trickling_server_is_given_up_on_the_clock(net):
    ticks = itertools.count(0.0, 10.0)  # each look at the clock: 10 s later
    downloader = net.downloader(clock=lambda: next(ticks), max_seconds=60)
    with pytest.raises(DownloadRefused, match="took over 60 s"):
        downloader.fetch("http://img.example/trickle")


# -- wrong types, polyglots, truncated images, bombs --------------------------------------------
@pytest.mark.parametrize("path,reason", [
    ("/html-as-jpeg", "not an image"), ("/html", "text/html, not an image"),
    ("/untyped", "untyped, not an image"), ("/svg", "not an image"), ("/eps", "not an image"),
    ("/truncated.jpg", "cannot decode"), ("/truncated.png", "cannot decode"),
    ("/bomb.png", "40000x40000 pixels is over|decompression bomb"),
    ("/bomb.gif", "65535x65535 pixels is over|decompression bomb"),
    ("/bomb.jpg", "65500x65500 pixels is over|decompression bomb"),
])
def test_hostile_images_are_refused(net, tmp_path, path, reason):
    with pytest.raises(DownloadRefused, match=reason) as info:
        net.downloader().save(Media(kind="image", url=f"http://img.example{path}?sig=SECRET"),
                              MediaStore(tmp_path))
    assert info.value.reason.startswith(f"http://img.example{path}: ")
    assert "SECRET" not in str(info.value)


@pytest.mark.parametrize("path,payloads", [
    ("/gif-js", [b"alert(", b"polyglot"]),
    ("/jpeg-zip", [b"PK\x03\x04", b"payload.html", b"<script>"]),
])
def test_polyglots_are_stored_as_pixels_only(net, tmp_path, path, payloads):
    media = net.downloader().save(Media(kind="image", url=f"http://img.example{path}"),
                                  MediaStore(tmp_path))
    stored = MediaStore(tmp_path).find(media.sha256).read_bytes()
    assert not any(p in stored for p in payloads)
    Image.open(io.BytesIO(stored)).verify()


def test_decoder_errors_of_any_kind_are_refusals():
    for data in (png_bomb(), gif_bomb(), jpeg_bomb(), b"GIF89a" + b"\x00" * 7, b"\x89PNG\r\n\x1a\n",
                 b"BM" + b"\xff" * 60, b"II*\x00" + b"\xff" * 60, jpeg()[:200]):
        with pytest.raises(MediaRefused):
            clean_image(data, where="x")


# -- the batch goes on ----------------------------------------------------------------------
class OnePage:
    name = platform = "fake"

    def __init__(self, posts):
        self.posts = posts

    def terms(self, query, languages, lexicon=None):
        return [query]

    def describe(self, term, cursor):
        return Call("GET fake")

    def fetch(self, term, cursor):
        return Page(list(self.posts), next_cursor="done", more=False, request="GET fake")

    def close(self):
        pass


def test_one_batch_keeps_the_good_image_and_quarantines_each_hostile_one(study, net):
    hostile = ["http://127.0.0.1/x.jpg?token=SECRET", "http://img.example/to-metadata",
               "http://img.example/bomb.png", "http://img.example/endless-chunked",
               "http://[::ffff:169.254.169.254]/", "http://img.example/html-as-jpeg",
               "http://[::1", "gopher://127.0.0.1/"]
    urls = hostile[:4] + ["http://img.example/image.jpg?token=SECRET123"] + hostile[4:]
    posts = [RawPost(platform="fake", source_id=str(i), text="ivory for sale", author="seller",
                     media=[RawMedia(u)]) for i, u in enumerate(urls)]
    _, counts = run_term(study, OnePage(posts), "ivory", max_pages=1,
                         downloader=net.downloader())
    assert counts.stored == len(urls) and counts.quarantined == len(hostile)
    refused = study.store.quarantine.all()
    assert len(refused) == len(hostile)
    for item in refused:
        assert item.field == "media" and "SECRET" not in item.reason
    named = " ".join(item.reason for item in refused)
    for url in ("http://127.0.0.1/x.jpg", "http://img.example/to-metadata",
                "http://img.example/bomb.png", "http://img.example/endless-chunked"):
        assert url in named
    media = study.store.posts.frame(("media",))["media"]
    assert sum(bool(m[0]["sha256"]) for m in media) == 1
    assert net.canary_connections() == 0
