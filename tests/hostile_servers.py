"""Test doubles for hostile-media tests: a canary that counts connections, a raw HTTP server
that lies (lengths, types, endless bodies), and a network backend that routes "public" test
addresses to that server and every other address to the canary.

Why a network backend and not only a resolver: tests cannot reach the internet, so a URL on a
"public" address is simulated by connecting to a local server. The backend sits below httpx, at
the TCP connect: an address the downloader was allowed to reach goes to the hostile server, and
anything else — a private address that slipped through, or a host *name* the downloader let
httpx resolve again (DNS rebinding) — lands on the canary, where it is counted.
"""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Callable, Iterator

import httpcore
import httpx

PUBLIC_V4 = "93.184.216.34"
PUBLIC_V6 = "2606:2800:220:1:248:1893:25c8:1946"

Body = bytes | Callable[[], Iterator[bytes]]


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        server: RawServer = self.server  # type: ignore[assignment]
        with server.lock:
            server.connections += 1
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536:
            piece = self.request.recv(4096)
            if not piece:
                return
            data += piece
        line = data.split(b"\r\n", 1)[0].decode("latin-1")
        path = line.split(" ")[1] if line.count(" ") >= 2 else "/"
        server.paths.append(path)
        head, body = server.answer(path)
        try:
            self.request.sendall(head)
            if callable(body):
                for chunk in body():
                    self.request.sendall(chunk)
                    server.sent += len(chunk)
            else:
                self.request.sendall(body)
                server.sent += len(body)
        except OSError:  # the client hung up: what a downloader at its limit does
            pass


class RawServer(socketserver.ThreadingTCPServer):
    """An HTTP/1.1 server that writes exactly the bytes a route gives (head, then body)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, routes: dict[str, tuple[bytes, Body]] | None = None,
                 default: tuple[bytes, Body] | None = None):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes = routes or {}
        self.default = default or (head(404, "text/plain", length=0), b"")
        self.lock = threading.Lock()
        self.connections = 0
        self.sent = 0
        self.paths: list[str] = []
        self.thread = threading.Thread(target=self.serve_forever, args=(0.01,), daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def answer(self, path: str) -> tuple[bytes, Body]:
        return self.routes.get(path.split("?")[0], self.default)

    def stop(self) -> int:
        """Stop, and count what waited in the accept queue too; returns all connections."""
        self.shutdown()
        self.socket.setblocking(False)
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                break
            connection.close()
            self.connections += 1
        self.server_close()
        return self.connections


def head(status: int = 200, content_type: str = "image/jpeg", *, length: int | None = None,
         chunked: bool = False, extra: dict[str, str] | None = None) -> bytes:
    lines = [f"HTTP/1.1 {status} X", f"Content-Type: {content_type}", "Connection: close"]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    if chunked:
        lines.append("Transfer-Encoding: chunked")
    lines += [f"{k}: {v}" for k, v in (extra or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def redirect(location: str, status: int = 302) -> tuple[bytes, bytes]:
    return head(status, "text/plain", length=0, extra={"Location": location}), b""


def endless(chunk: bytes = b"\xff" * 65536, *,
            chunked: bool = True) -> Callable[[], Iterator[bytes]]:
    """A body that never ends (chunked framing, or raw until the client hangs up)."""
    def body() -> Iterator[bytes]:
        frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n" if chunked else chunk
        while True:
            yield frame
    return body


class RoutingBackend(httpcore.NetworkBackend):
    """TCP connects: the public test addresses go to ``public_port``; anything else (a private
    address, or a name httpx would resolve itself) is recorded and sent to the canary."""

    def __init__(self, public_port: int, canary_port: int):
        self.inner = httpcore.SyncBackend()
        self.public = {PUBLIC_V4: public_port, PUBLIC_V6: public_port}
        self.canary_port = canary_port
        self.canary_hits: list[tuple[str, int]] = []

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        host = host.decode() if isinstance(host, bytes) else host
        target = self.public.get(host.strip("[]"))
        if target is None:
            self.canary_hits.append((host, port))
            target = self.canary_port
        return self.inner.connect_tcp("127.0.0.1", target, timeout, local_address,
                                      socket_options)

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise httpcore.ConnectError("no unix sockets here")

    def sleep(self, seconds: float) -> None:
        """Never wait in tests."""


def routed_transport(backend: RoutingBackend) -> httpx.HTTPTransport:
    """An httpx transport whose connections go through ``backend``."""
    transport = httpx.HTTPTransport()
    transport._pool = httpcore.ConnectionPool(network_backend=backend)  # noqa: SLF001
    return transport


def canary_is_closed(port: int) -> bool:
    """True once nothing listens on ``port`` any more (a sanity check for the fixture)."""
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0
