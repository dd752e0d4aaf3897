"""A front door that behaves like DSQL's: TLS only (direct or SSLRequest), IAM token as password.

It accepts a connection on 127.0.0.1, negotiates TLS with a certificate for a DSQL-style host
name, asks for a cleartext password, verifies it as a SigV4 token for that host, region and
action, and relays the session to a real PostgreSQL server (trust auth) once it is valid.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import select
import socket
import ssl
import struct
import threading
from dataclasses import dataclass, field
from pathlib import Path

from tests.live.dsql_standin import Cluster
from tests.live.sigv4 import TokenRejected, verify_token

SSL_REQUEST = 80877103
GSSENC_REQUEST = 80877104
CANCEL_REQUEST = 80877102


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("peer closed")
        data += chunk
    return data


def error_response(code: str, message: str, hint: str | None = None, severity: str = "FATAL") -> bytes:
    """A protocol ErrorResponse message."""
    fields = [b"S" + severity.encode(), b"V" + severity.encode(), b"C" + code.encode(), b"M" + message.encode()]
    if hint:
        fields.append(b"H" + hint.encode())
    body = b"\0".join(fields) + b"\0\0"
    return b"E" + struct.pack("!I", len(body) + 4) + body


@dataclass
class FrontDoor:
    """Listens on 127.0.0.1:<port> in a background thread until :meth:`close`."""

    host: str
    region: str
    cert: Path
    key: Path
    backend_port: int
    secrets: dict[str, str]
    allow_direct: bool = True
    allow_classic: bool = True
    clock_skew: float = 0.0  # seconds added to the door's clock (to expire tokens)
    port: int = 0
    seen: list[dict[str, str]] = field(default_factory=list)  # negotiation and user of each connection
    #: DSQL's statement and transaction rules (tests/live/dsql_standin.py); None relays bytes as they are.
    dsql: Cluster | None = None
    _sock: socket.socket | None = None
    _stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> FrontDoor:
        """Bind, and accept connections in a daemon thread."""
        self._ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._ctx.load_cert_chain(str(self.cert), str(self.key))
        self._ctx.set_alpn_protocols(["postgresql"])
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        sock.settimeout(0.2)
        self._sock = sock
        self.port = int(sock.getsockname()[1])
        threading.Thread(target=self._accept_loop, daemon=True).start()
        return self

    def close(self) -> None:
        """Stop accepting connections."""
        self._stop.set()
        if self._sock is not None:
            self._sock.close()

    def _accept_loop(self) -> None:
        assert self._sock is not None
        while not self._stop.is_set():
            try:
                client, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, raw: socket.socket) -> None:
        info: dict[str, str] = {}
        self.seen.append(info)
        try:
            raw.settimeout(15)
            tls = self._negotiate(raw, info)
            if tls is None:
                return
            startup = self._read_startup(tls)
            if startup is None:
                return
            params = self._params(startup)
            info["user"] = params.get("user", "")
            tls.sendall(b"R" + struct.pack("!II", 8, 3))  # AuthenticationCleartextPassword
            kind = _recv_exact(tls, 1)
            (length,) = struct.unpack("!I", _recv_exact(tls, 4))
            body = _recv_exact(tls, length - 4)
            if kind != b"p":
                return
            password = body.rstrip(b"\0").decode("utf-8", "replace")
            try:
                now = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=self.clock_skew)
                verify_token(
                    password, host=self.host, region=self.region, user=info["user"], secrets=self.secrets, now=now
                )
            except TokenRejected as exc:
                info["rejected"] = exc.hint
                tls.sendall(error_response("28000", "unable to accept connection, access denied", exc.hint))
                return
            self._relay(tls, startup)
        except (OSError, ConnectionError, ssl.SSLError) as exc:
            info["error"] = str(exc)
        finally:
            with contextlib.suppress(OSError):
                raw.close()

    def _negotiate(self, raw: socket.socket, info: dict[str, str]) -> ssl.SSLSocket | None:
        while True:
            first = raw.recv(1, socket.MSG_PEEK)
            if not first:
                return None
            if first == b"\x16":
                info["negotiation"] = "direct"
                if not self.allow_direct:
                    return None
                tls = self._ctx.wrap_socket(raw, server_side=True)
                if tls.selected_alpn_protocol() != "postgresql":
                    tls.close()  # PostgreSQL servers refuse direct TLS without ALPN postgresql
                    return None
                return tls
            length, code = struct.unpack("!II", _recv_exact(raw, 8))
            if length == 8 and code == SSL_REQUEST:
                info["negotiation"] = "classic"
                if not self.allow_classic:
                    raw.sendall(b"N")
                    return None
                raw.sendall(b"S")
                return self._ctx.wrap_socket(raw, server_side=True)
            if length == 8 and code == GSSENC_REQUEST:
                raw.sendall(b"N")
                continue
            raw.sendall(error_response("08P01", "SSL/TLS required"))
            return None

    @staticmethod
    def _read_startup(tls: ssl.SSLSocket) -> bytes | None:
        (length,) = struct.unpack("!I", _recv_exact(tls, 4))
        body = _recv_exact(tls, length - 4)
        (code,) = struct.unpack("!I", body[:4])
        if code == CANCEL_REQUEST:
            return None
        return struct.pack("!I", length) + body

    @staticmethod
    def _params(startup: bytes) -> dict[str, str]:
        parts = startup[8:].split(b"\0")
        return {parts[i].decode(): parts[i + 1].decode() for i in range(0, len(parts) - 1, 2) if parts[i]}

    def _relay(self, tls: ssl.SSLSocket, startup: bytes) -> None:
        backend = socket.create_connection(("127.0.0.1", self.backend_port), timeout=15)
        session = self.dsql.new_session() if self.dsql is not None else None
        try:
            backend.sendall(startup)
            tls.settimeout(None)
            backend.settimeout(None)
            while not self._stop.is_set():
                if tls.pending():
                    readable = [tls]
                else:
                    readable, _, _ = select.select([tls, backend], [], [], 0.5)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    if session is not None:
                        data = session.from_client(data) if sock is tls else session.from_backend(data)
                    (backend if sock is tls else tls).sendall(data)
        finally:
            backend.close()
            if session is not None:
                session.close()
