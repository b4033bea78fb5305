"""Media safety: images cleaned of metadata, limits on the header, SSRF guards on every hop."""

from __future__ import annotations

import io
import ipaddress
import struct
import zlib

import pytest
from PIL import Image
from werkzeug import Response

from wildsift.privacy.media import MediaLimits, MediaRefused, MediaStore, clean_image
from wildsift.records import RawMedia, RawPost
from wildsift.sources.base import Call, Page
from wildsift.sources.download import DownloadRefused, MediaDownloader, is_public_address
from wildsift.sources.run import run_term

GPS_IFD = 0x8825


def jpeg_with_gps(size=(64, 48), orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0xA431] = "SERIAL-123456"  # body serial number
    exif[GPS_IFD] = {1: "N", 2: (10.0, 45.0, 0.0), 3: "E", 4: (106.0, 40.0, 0.0)}
    if orientation:
        exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def png_bomb(width: int = 40_000, height: int = 40_000) -> bytes:
    """A tiny PNG whose header claims a huge size (the IHDR is patched, its CRC fixed)."""
    buffer = io.BytesIO()
    Image.new("1", (8, 8)).save(buffer, format="PNG")
    data = bytearray(buffer.getvalue())
    ihdr = data.index(b"IHDR")
    data[ihdr + 4:ihdr + 12] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr:ihdr + 17])) & 0xFFFFFFFF
    data[ihdr + 17:ihdr + 21] = struct.pack(">I", crc)
    return bytes(data)


def test_clean_image_removes_exif_and_keeps_orientation():
    raw = jpeg_with_gps(size=(64, 48), orientation=6)  # 6: rotate 90 degrees to display
    assert b"SERIAL-123456" in raw
    clean = clean_image(raw)
    assert b"SERIAL-123456" not in clean.data and b"PhoneMaker" not in clean.data
    reopened = Image.open(io.BytesIO(clean.data))
    assert not reopened.getexif()  # no EXIF at all, GPS included
    assert (clean.width, clean.height) == (48, 64)  # the rotation went into the pixels
    assert clean.format == "JPEG" and len(clean.sha256) == 64


def test_decompression_bomb_is_refused_from_the_header():
    with pytest.raises(MediaRefused, match="over the limit|decompression bomb"):
        clean_image(png_bomb())


def test_truncated_jpeg_and_non_images_are_refused():
    raw = jpeg_with_gps()
    with pytest.raises(MediaRefused, match="cannot decode"):
        clean_image(raw[: len(raw) // 2])
    with pytest.raises(MediaRefused, match="not an image"):
        clean_image(b"<html>not an image</html>")
    with pytest.raises(MediaRefused, match="over the limit"):
        clean_image(raw, MediaLimits(max_bytes=100))


def test_media_store_is_content_addressed(tmp_path):
    store = MediaStore(tmp_path)
    clean = clean_image(jpeg_with_gps())
    path = store.put(clean)
    assert path.name == f"{clean.sha256}.jpg" and path.parent.name == clean.sha256[:2]
    assert store.put(clean) == path and store.find(clean.sha256) == path


@pytest.mark.parametrize("address,public", [
    ("127.0.0.1", False), ("10.1.2.3", False), ("192.168.0.10", False),
    ("169.254.169.254", False), ("::1", False), ("fe80::1", False), ("::ffff:127.0.0.1", False),
    ("0.0.0.0", False), ("224.0.0.1", False), ("93.184.216.34", True), ("2606:4700::1", True),
])
def test_only_public_addresses_are_allowed(address, public):
    assert is_public_address(ipaddress.ip_address(address)) is public


def loopback_ok(address) -> bool:
    """Tests serve from 127.0.0.1: allow it, and keep every other rule."""
    return address.is_loopback or is_public_address(address)


def test_download_follows_a_checked_redirect(httpserver):
    image = jpeg_with_gps()
    httpserver.expect_request("/old.jpg").respond_with_response(
        Response(status=302, headers={"Location": "/new.jpg"}))
    httpserver.expect_request("/new.jpg").respond_with_data(image, content_type="image/jpeg")
    downloader = MediaDownloader(allow=loopback_ok)
    assert downloader.fetch(httpserver.url_for("/old.jpg")) == image


def test_default_rules_refuse_loopback_and_redirects_to_private_addresses(httpserver):
    with pytest.raises(DownloadRefused, match="non-public address"):
        MediaDownloader().fetch(httpserver.url_for("/x.jpg"))
    for target in ("http://169.254.169.254/latest/meta-data/", "http://10.0.0.7/admin",
                   "file:///etc/passwd"):
        httpserver.expect_request("/hop").respond_with_response(
            Response(status=301, headers={"Location": target}))
        with pytest.raises(DownloadRefused, match="non-public|only http"):
            MediaDownloader(allow=loopback_ok).fetch(httpserver.url_for("/hop"))
        httpserver.clear()


def test_download_refuses_wrong_type_and_oversize(httpserver):
    httpserver.expect_request("/page").respond_with_data("<html/>", content_type="text/html")
    httpserver.expect_request("/big.jpg").respond_with_data(b"x" * 5000,
                                                            content_type="image/jpeg")
    downloader = MediaDownloader(allow=loopback_ok, limits=MediaLimits(max_bytes=1000))
    with pytest.raises(DownloadRefused, match="not an image"):
        downloader.fetch(httpserver.url_for("/page"))
    with pytest.raises(DownloadRefused, match="over"):
        downloader.fetch(httpserver.url_for("/big.jpg"))


class OnePageSource:
    name = "fake"
    platform = "fake"

    def __init__(self, posts):
        self.posts = posts

    def terms(self, query, languages, lexicon=None):
        return [query]

    def describe(self, term, cursor):
        return Call(f"GET fake {term}")

    def fetch(self, term, cursor):
        return Page(list(self.posts), next_cursor="done", more=False, request="GET fake")

    def close(self):
        pass


def test_mined_images_are_stored_clean_and_refusals_quarantined(study, httpserver):
    httpserver.expect_request("/ivory.jpg").respond_with_data(jpeg_with_gps(),
                                                              content_type="image/jpeg")
    posts = [RawPost(platform="fake", source_id="1", text="ivory bangle for sale",
                     author="seller", media=[RawMedia(httpserver.url_for("/ivory.jpg")),
                                             RawMedia("http://10.0.0.9/private.jpg")])]
    downloader = MediaDownloader(allow=loopback_ok)
    _pages, counts = run_term(study, OnePageSource(posts), "ivory", max_pages=1,
                              downloader=downloader)
    assert counts.stored == 1
    stored = study.store.posts.frame(("media",))["media"].iloc[0]
    digest = stored[0]["sha256"]
    assert digest and stored[1]["sha256"] is None
    file = MediaStore(study.media_dir).find(digest)
    assert file is not None and not Image.open(file).getexif()
    refused = study.store.quarantine.all()
    assert len(refused) == 1 and "non-public" in refused[0].reason
    assert "private.jpg" not in refused[0].location  # the entry names the post, not the URL


def test_png_with_gps_exif_comes_back_without_it():
    image = Image.new("RGB", (40, 30), (10, 120, 60))
    exif = Image.Exif()
    exif[GPS_IFD] = {1: "S", 2: (3.0, 20.0, 0.0), 3: "E", 4: (36.0, 49.0, 0.0)}
    exif[0x013B] = "Photographer Name"  # artist
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", exif=exif.tobytes())
    raw = buffer.getvalue()
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(GPS_IFD)  # the GPS block is there
    clean = clean_image(raw)
    assert clean.format == "PNG" and b"Photographer Name" not in clean.data
    reopened = Image.open(io.BytesIO(clean.data))
    assert not reopened.getexif() and "exif" not in reopened.info
