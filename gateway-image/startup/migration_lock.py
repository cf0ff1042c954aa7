"""Run one command while holding a PostgreSQL session advisory lock: at most one LiteLLM migrator at a time.

Every task of the gateway service starts its own `migrate` container (LiteLLM with --skip_server_startup). Prisma's
own lock covers only `prisma migrate deploy`, not the steps LiteLLM runs around it (baselining, `migrate resolve`,
the post-migration diff-and-execute), and LiteLLM reported concurrent starts that deadlocked (docs/gateway-runtime.md).
Here the whole migration runs under one lock on the database named by DATABASE_URL: a second migrator waits until the
first has finished, then finds nothing to do.

Usage (the migrate container's entryPoint): migration_lock.py <command> [arguments ...]
The lock is a session lock (pg_advisory_lock): held while this process keeps its connection open, released when the
command has exited and this process closes it, or by PostgreSQL when the connection dies with the container. The
command's exit status is this process's. SIGTERM and SIGINT are passed on to the command.

If the lock cannot be taken for any reason other than waiting for it (no DATABASE_URL, the database unreachable, an
authentication method this client does not speak), one ERROR line says why and the command runs without the lock,
as it did before this wrapper existed: the lock narrows a race, it must not stop a deploy.

Standard library only (a small PostgreSQL protocol client: TLS, SCRAM-SHA-256, MD5 and cleartext password auth).
"""
import base64
import datetime
import hashlib
import hmac
import json
import os
import signal
import socket
import ssl
import struct
import subprocess
import sys
import time
import urllib.parse

LOGGER = "migration-lock"
# pg_advisory_lock(bigint) key: "llm-gateway migrate" folded to 63 bits; distinct from Prisma's 72707369.
LOCK_KEY = int.from_bytes(hashlib.sha256(b"llm-gateway migrate").digest()[:8], "big") & 0x7FFFFFFFFFFFFFFF
# Covers the connection, TLS and authentication. With database.minCapacity 0 (docs/off-hours.md) this connection is
# what wakes a paused Aurora Serverless v2 instance: "It can take up to 15 seconds for the database to resume" (AWS
# Database Blog, "Introducing scaling to 0 capacity with Amazon Aurora Serverless v2"), longer after a long pause such as
# a weekend; the proxy and Prisma then find the instance running.
CONNECT_TIMEOUT_SECONDS = 60
PROTOCOL_VERSION = 196608  # 3.0
SSL_REQUEST_CODE = 80877103


class LockUnavailable(Exception):
    """The lock could not be taken (not: it is taken by someone else, which is waited for)."""


def log(level, message, **fields):
    line = {
        "timestamp": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds"),
        "level": level,
        "logger": LOGGER,
        "message": message,
    }
    line.update(fields)
    print(json.dumps(line), file=sys.stderr, flush=True)


def parse_database_url(url):
    """(host, port, user, password, database, sslmode) from a postgresql:// URL as LiteLLM's DATABASE_URL holds it."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        raise LockUnavailable(f"DATABASE_URL scheme {parts.scheme!r} is not postgresql")
    if not parts.hostname or not parts.username:
        raise LockUnavailable("DATABASE_URL has no host or no user")
    query = urllib.parse.parse_qs(parts.query)
    sslmode = query.get("sslmode", ["prefer"])[-1]
    database = urllib.parse.unquote(parts.path.lstrip("/")) or urllib.parse.unquote(parts.username)
    return (
        parts.hostname,
        parts.port or 5432,
        urllib.parse.unquote(parts.username),
        urllib.parse.unquote(parts.password or ""),
        database,
        sslmode,
    )


class Connection:
    """One PostgreSQL session over the frontend/backend protocol 3.0: startup, password auth, simple queries."""

    def __init__(self, sock):
        self.sock = sock

    @classmethod
    def open(cls, host, port, user, password, database, sslmode):
        sock = socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_SECONDS)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        if sslmode != "disable":
            sock.sendall(struct.pack("!ii", 8, SSL_REQUEST_CODE))
            answer = sock.recv(1)
            if answer == b"S":
                context = ssl.create_default_context()
                if sslmode in ("verify-ca", "verify-full"):
                    context.check_hostname = sslmode == "verify-full"
                else:
                    # libpq's require/prefer: encrypted, the server's certificate not checked.
                    context.check_hostname = False
                    context.verify_mode = ssl.CERT_NONE
                sock = context.wrap_socket(sock, server_hostname=host)
            elif answer == b"N":
                if sslmode in ("require", "verify-ca", "verify-full"):
                    raise LockUnavailable(f"the server refused TLS and sslmode is {sslmode}")
            else:
                raise LockUnavailable(f"unexpected answer {answer!r} to the TLS request")
        conn = cls(sock)
        conn._startup(user, password, database)
        return conn

    def _send(self, kind, payload):
        self.sock.sendall(kind + struct.pack("!i", len(payload) + 4) + payload)

    def _recv_exact(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise LockUnavailable("the server closed the connection")
            data += chunk
        return data

    def _recv(self):
        kind = self._recv_exact(1)
        (length,) = struct.unpack("!i", self._recv_exact(4))
        return kind, self._recv_exact(length - 4)

    @staticmethod
    def _error_text(payload):
        fields = {}
        for item in payload.split(b"\0"):
            if item:
                fields[item[:1]] = item[1:].decode("utf-8", "replace")
        return f"{fields.get(b'S', 'ERROR')} {fields.get(b'C', '')}: {fields.get(b'M', '')}".strip()

    def _startup(self, user, password, database):
        params = b"".join(k.encode() + b"\0" + v.encode() + b"\0" for k, v in (
            ("user", user), ("database", database), ("application_name", "llm-gateway-migration-lock"),
        )) + b"\0"
        body = struct.pack("!i", PROTOCOL_VERSION) + params
        self.sock.sendall(struct.pack("!i", len(body) + 4) + body)
        scram = None
        while True:
            kind, payload = self._recv()
            if kind == b"E":
                raise LockUnavailable(self._error_text(payload))
            if kind == b"R":
                (code,) = struct.unpack("!i", payload[:4])
                if code == 0:
                    continue
                if code == 3:
                    self._send(b"p", password.encode() + b"\0")
                elif code == 5:
                    salt = payload[4:8]
                    inner = hashlib.md5(password.encode() + user.encode()).hexdigest().encode()
                    self._send(b"p", b"md5" + hashlib.md5(inner + salt).hexdigest().encode() + b"\0")
                elif code == 10:
                    mechanisms = [m for m in payload[4:].split(b"\0") if m]
                    if b"SCRAM-SHA-256" not in mechanisms:
                        raise LockUnavailable(f"no supported SASL mechanism among {mechanisms!r}")
                    scram = Scram(password)
                    first = scram.client_first()
                    self._send(b"p", b"SCRAM-SHA-256\0" + struct.pack("!i", len(first)) + first)
                elif code == 11 and scram is not None:
                    self._send(b"p", scram.client_final(payload[4:]))
                elif code == 12 and scram is not None:
                    scram.verify_server(payload[4:])
                else:
                    raise LockUnavailable(f"authentication method {code} is not supported")
            elif kind == b"Z":
                return
            # S (parameter status), K (backend key), N (notice): nothing to do.

    def query(self, sql):
        """Run one statement; returns when the server is ready again. Blocks as long as the statement does."""
        self._send(b"Q", sql.encode() + b"\0")
        error = None
        while True:
            kind, payload = self._recv()
            if kind == b"E":
                error = self._error_text(payload)
            elif kind == b"Z":
                if error is not None:
                    raise LockUnavailable(error)
                return

    def close(self):
        try:
            self._send(b"X", b"")
        except OSError:
            pass
        self.sock.close()


class Scram:
    """SCRAM-SHA-256 without channel binding (RFC 5802, RFC 7677), as PostgreSQL speaks it."""

    def __init__(self, password, nonce=None, user=""):
        # PostgreSQL takes the user from the startup message and ignores the SCRAM one: empty, as libpq sends it.
        self.password = password.encode()
        self.nonce = nonce or base64.b64encode(os.urandom(18)).decode()
        self.first_bare = f"n={user},r={self.nonce}".encode()
        self.server_signature = None

    def client_first(self):
        return b"n,," + self.first_bare

    def client_final(self, server_first):
        fields = dict(item.split("=", 1) for item in server_first.decode().split(","))
        if not fields["r"].startswith(self.nonce):
            raise LockUnavailable("SCRAM: the server nonce does not extend ours")
        salted = hashlib.pbkdf2_hmac("sha256", self.password, base64.b64decode(fields["s"]), int(fields["i"]))
        client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
        stored_key = hashlib.sha256(client_key).digest()
        without_proof = f"c=biws,r={fields['r']}".encode()
        auth_message = self.first_bare + b"," + server_first + b"," + without_proof
        signature = hmac.new(stored_key, auth_message, hashlib.sha256).digest()
        proof = bytes(a ^ b for a, b in zip(client_key, signature))
        server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
        self.server_signature = hmac.new(server_key, auth_message, hashlib.sha256).digest()
        return without_proof + b",p=" + base64.b64encode(proof)

    def verify_server(self, server_final):
        fields = dict(item.split("=", 1) for item in server_final.decode().split(","))
        if "v" not in fields or base64.b64decode(fields["v"]) != self.server_signature:
            raise LockUnavailable("SCRAM: the server's signature does not match")


def acquire(environ):
    """An open connection holding the lock; waits while another session holds it."""
    url = environ.get("DATABASE_URL")
    if not url:
        raise LockUnavailable("DATABASE_URL is not set")
    conn = Connection.open(*parse_database_url(url))
    conn.sock.settimeout(None)  # the wait for the lock is as long as the other migration
    started = time.monotonic()
    log("INFO", "waiting for the migration lock", lock_key=LOCK_KEY)
    conn.query(f"SELECT pg_advisory_lock({LOCK_KEY})")
    log("INFO", "migration lock acquired", lock_key=LOCK_KEY, waited_seconds=round(time.monotonic() - started, 1))
    return conn


def run(command, environ):
    try:
        conn = acquire(environ)
    except (LockUnavailable, OSError, ValueError, KeyError) as e:
        log("ERROR", f"migration lock unavailable ({e}); migrating without it", lock_key=LOCK_KEY)
        conn = None
    try:
        child = subprocess.Popen(command)
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda signum, _frame: child.send_signal(signum))
        code = child.wait()
        return 128 - code if code < 0 else code  # killed by a signal: the shell's 128 + signal number
    finally:
        if conn is not None:
            conn.close()
            log("INFO", "migration lock released", lock_key=LOCK_KEY)


def main(argv):
    if len(argv) < 2:
        log("ERROR", "usage: migration_lock.py <command> [arguments ...]")
        return 2
    return run(argv[1:], os.environ)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
