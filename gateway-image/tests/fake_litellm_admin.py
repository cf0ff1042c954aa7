"""A stand-in for LiteLLM's key admin API on 127.0.0.1, for the reconciler's tests.

It reproduces the behaviour the reconciler depends on, as implemented in LiteLLM
(litellm/proxy/management_endpoints/key_management_endpoints.py, litellm/proxy/_types.py):
  * every route needs `Authorization: Bearer <master key>` (401 otherwise);
  * POST /key/generate: a custom `key` must start with "sk-" (400); negative max_budget (400);
    `_enforce_unique_key_alias` is a lookup before the insert (400 "Key with alias '...' already
    exists"); the insert itself fails on the token primary key (500 "Internal Server Error.")
    when another request inserted the same key in between; token = sha256(key); the response
    carries `key` and `token` (the hash);
  * POST /key/update: `key` may be the value or the hash (404 when unknown); alias unique across
    other keys; only fields sent change; `metadata` replaces; a null budget_duration is dropped;
  * POST /key/delete: `keys` (values or hashes) or `key_aliases`; 404 "No keys found";
  * GET /key/info?key=...: {"key", "info"} without the token;
  * GET /key/list: page >= 1, size 1..100 (422 otherwise), key_alias filter,
    return_full_object; {"keys", "total_count", "current_page", "total_pages"}.
Test hooks: `race_window` (seconds between the alias check and the insert), `fail` (path ->
number of 500 answers still to give, -1 for always), `requests` (method, path) log.
"""

from __future__ import annotations

import hashlib
import json
import socket
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Optional

KEY_FIELDS = ("key_alias", "models", "max_budget", "budget_duration", "rpm_limit", "tpm_limit", "metadata", "spend")
WRITE_PATHS = ("/key/generate", "/key/update", "/key/delete")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _hash_if_needed(token: str) -> str:
    # litellm/proxy/utils.py _hash_token_if_needed: values start with sk-, hashes do not.
    return hash_token(token) if token.startswith("sk-") else token


class FakeLiteLLM:
    def __init__(self, master_key: str, port: int = 0) -> None:
        self.master_key = master_key
        self.keys: dict[str, dict] = {}
        self.lock = threading.Lock()
        self.race_window = 0.0
        self.fail: dict[str, int] = {}
        self.requests: list[tuple[str, str]] = []
        self.port = port or free_port()
        self.server: Optional[ThreadingHTTPServer] = None
        self.thread: Optional[threading.Thread] = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "FakeLiteLLM":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                fake.handle(self, "GET")

            def do_POST(self) -> None:
                fake.handle(self, "POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    def writes(self) -> list[tuple[str, str]]:
        return [r for r in self.requests if r[1] in WRITE_PATHS]

    def by_alias(self, alias: str) -> list[dict]:
        return [k for k in self.keys.values() if k.get("key_alias") == alias]

    # ------------------------------------------------------------------ dispatch

    def handle(self, req: BaseHTTPRequestHandler, method: str) -> None:
        parsed = urllib.parse.urlparse(req.path)
        path, query = parsed.path, urllib.parse.parse_qs(parsed.query)
        with self.lock:
            self.requests.append((method, path))
            remaining = self.fail.get(path, 0)
            if remaining:
                self.fail[path] = remaining - 1 if remaining > 0 else -1
        if path == "/health/liveliness":
            return self.send(req, 200, "I'm alive!")
        if req.headers.get("Authorization") != f"Bearer {self.master_key}":
            return self.send(req, 401, {"error": {"message": "Authentication Error, Invalid proxy server token passed.", "code": "401"}})
        if remaining:
            return self.send(req, 500, {"error": {"message": "Internal Server Error.", "code": "500"}})
        body: dict = {}
        if method == "POST":
            length = int(req.headers.get("Content-Length") or 0)
            body = json.loads(req.rfile.read(length) or b"{}")
        routes = {
            ("POST", "/key/generate"): self.generate,
            ("POST", "/key/update"): self.update,
            ("POST", "/key/delete"): self.delete,
            ("GET", "/key/info"): self.info,
            ("GET", "/key/list"): self.list,
        }
        route = routes.get((method, path))
        if route is None:
            return self.send(req, 404, {"detail": "Not Found"})
        status, payload = route(body, query)
        self.send(req, status, payload)

    @staticmethod
    def send(req: BaseHTTPRequestHandler, status: int, payload: Any) -> None:
        data = (payload if isinstance(payload, str) else json.dumps(payload)).encode()
        req.send_response(status)
        req.send_header("Content-Type", "application/json")
        req.send_header("Content-Length", str(len(data)))
        req.end_headers()
        req.wfile.write(data)

    @staticmethod
    def error(status: int, message: str) -> tuple[int, dict]:
        return status, {"error": {"message": message, "type": "bad_request_error" if status == 400 else "error", "code": str(status)}}

    def alias_taken(self, alias: Optional[str], except_token: Optional[str] = None) -> bool:
        return alias is not None and any(k["key_alias"] == alias and t != except_token for t, k in self.keys.items())

    # ------------------------------------------------------------------ endpoints

    def generate(self, body: dict, _query: dict) -> tuple[int, Any]:
        if body.get("max_budget") is not None and body["max_budget"] < 0:
            return self.error(400, f"max_budget cannot be negative. Received: {body['max_budget']}")
        with self.lock:
            taken = self.alias_taken(body.get("key_alias"))
        if taken:
            return self.error(400, f"Key with alias '{body['key_alias']}' already exists. Unique key aliases across all keys are required.")
        key = body.get("key")
        if key is not None and not key.startswith("sk-"):
            masked = f"{key[:4]}****{key[-4:]}" if len(key) > 8 else "****"
            return self.error(400, f"Invalid key format. LiteLLM Virtual Key must start with 'sk-'. Received: {masked}")
        if key is None:
            key = "sk-" + hashlib.sha256(str(time.time()).encode()).hexdigest()[:22]
        # The uniqueness check above is a read; the insert below can still collide.
        time.sleep(self.race_window)
        token = hash_token(key)
        with self.lock:
            if token in self.keys:
                return self.error(500, "Internal Server Error.")
            record = {
                "token": token,
                "key_alias": body.get("key_alias"),
                "models": list(body.get("models") or []),
                "max_budget": body.get("max_budget"),
                "budget_duration": body.get("budget_duration"),
                "rpm_limit": body.get("rpm_limit"),
                "tpm_limit": body.get("tpm_limit"),
                "metadata": dict(body.get("metadata") or {}),
                "spend": float(body.get("spend") or 0.0),
            }
            self.keys[token] = record
        return 200, {**record, "key": key, "token_id": token}

    def update(self, body: dict, _query: dict) -> tuple[int, Any]:
        if body.get("max_budget") is not None and body["max_budget"] < 0:
            return self.error(400, f"max_budget cannot be negative. Received: {body['max_budget']}")
        token = _hash_if_needed(str(body.get("key", "")))
        with self.lock:
            record = self.keys.get(token)
            if record is None:
                return self.error(404, "Key not found")
            if self.alias_taken(body.get("key_alias"), except_token=token):
                return self.error(400, f"Key with alias '{body['key_alias']}' already exists. Unique key aliases across all keys are required.")
            for field in KEY_FIELDS:
                if field not in body:
                    continue
                if field == "budget_duration" and not body[field]:
                    continue
                record[field] = body[field]
            return 200, {"key": body["key"], **record}

    def delete(self, body: dict, _query: dict) -> tuple[int, Any]:
        with self.lock:
            if body.get("keys"):
                tokens = [_hash_if_needed(k) for k in body["keys"]]
            elif body.get("key_aliases"):
                tokens = [t for t, k in self.keys.items() if k["key_alias"] in body["key_aliases"]]
            else:
                return self.error(400, "Invalid request type")
            found = [t for t in tokens if t in self.keys]
            if not found:
                return self.error(404, "No keys found")
            for t in found:
                del self.keys[t]
        return 200, {"deleted_keys": body.get("keys") or body.get("key_aliases")}

    def info(self, _body: dict, query: dict) -> tuple[int, Any]:
        key = (query.get("key") or [""])[0]
        with self.lock:
            record = self.keys.get(_hash_if_needed(key))
            if record is None:
                return self.error(404, "Key not found in database")
            return 200, {"key": key, "info": {k: v for k, v in record.items() if k != "token"}}

    def list(self, _body: dict, query: dict) -> tuple[int, Any]:
        page = int((query.get("page") or ["1"])[0])
        size = int((query.get("size") or ["10"])[0])
        if page < 1 or not 1 <= size <= 100:
            return 422, {"detail": [{"loc": ["query", "size"], "msg": "out of range"}]}
        alias = (query.get("key_alias") or [None])[0]
        full = (query.get("return_full_object") or ["false"])[0] == "true"
        with self.lock:
            rows = [dict(k) for k in self.keys.values() if alias is None or k["key_alias"] == alias]
        total = len(rows)
        chunk = rows[(page - 1) * size : page * size]
        return 200, {
            "keys": chunk if full else [r["token"] for r in chunk],
            "total_count": total,
            "current_page": page,
            "total_pages": -(-total // size),
        }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
