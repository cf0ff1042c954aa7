"""A stand-in for LiteLLM's key admin API on 127.0.0.1, for the reconciler's tests.

It reproduces what the reconciler depends on, as implemented in LiteLLM's
litellm/proxy/management_endpoints/key_management_endpoints.py, read at BerriAI/litellm commit
00670428e1ec49f6f79eee1e58df7be472b719ab (the newest copy the project could read; the image pins v1.108.26,
gateway-image/Dockerfile; docs/agents.md lists the functions to re-read when the pin moves):
  * every route needs `Authorization: Bearer <master key>` (401 otherwise);
  * POST /key/generate (generate_key_fn -> _common_key_generation_helper -> generate_key_helper_fn):
    a negative max_budget is 400; then `_enforce_unique_key_alias` is a `find_first` lookup, not a
    database constraint (400 "Key with alias '...' already exists"); then a custom `key` must start
    with "sk-" (400); the insert fails on the token primary key when another request inserted the
    same key after the lookup, which generate_key_helper_fn turns into 500 "Internal Server Error.";
    `spend` is stored as sent (default 0.0); token = sha256(key) (hash_token, litellm/proxy/_types.py);
    the response carries `key` and `token_id` (the hash);
  * POST /key/update (update_key_fn -> prepare_key_update_data): `key` (value or hash) names the key
    and is popped from the update, so a key's value can never change; 404 when it does not exist;
    `_enforce_unique_key_alias` excludes the key itself; only the fields sent change (`spend` too);
    `metadata` replaces the stored metadata; a null `budget_duration` is dropped, other nulls clear;
  * POST /key/delete (delete_key_fn -> delete_verification_tokens): `keys` (values or hashes) or
    `key_aliases`; 404 "No keys found" when none of them exists;
  * GET /key/info?key=...: {"key", "info"} without the token; 404 "Key not found in database";
  * GET /key/list (list_keys -> _list_key_helper): page >= 1, size 1..100 (422 otherwise),
    return_full_object; {"keys", "total_count", "current_page", "total_pages"}. At that commit
    `_build_key_filter_conditions` matches `key_alias` exactly, but the filter is only applied in
    one OR branch and can be ignored (BerriAI/litellm#32062) and `/key/aliases` searches by
    substring (ILIKE): `alias_filter` = "exact" | "substring" | "ignored" lets a test pick one.
`authenticates(value)` answers what user_api_key_auth would for an agent's key from the database
(no per-process cache: docs/agents.md says how long a process may still accept a deleted key).

Fault injection, per path, consumed one per request: `faults[path] = ["500", "hang", ...]`, or
`always[path] = "500"`. Faults:
  "500"           answer 500 without applying the request;
  "500-after"     apply it, then answer 500;
  "hang"          never answer (until `release()` or stop), without applying it;
  "hang-after"    apply it, then never answer;
  "reset-before"  close the connection without applying it or answering;
  "reset-after"   apply it, then close the connection without answering.
`race_window` (seconds between the alias lookup and the insert of /key/generate) widens the
check-then-insert window so that two concurrent creates really race.
"""

from __future__ import annotations

import hashlib
import json
import socket
import struct
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Optional

KEY_FIELDS = ("key_alias", "models", "max_budget", "budget_duration", "rpm_limit", "tpm_limit", "aliases", "metadata", "spend")
WRITE_PATHS = ("/key/generate", "/key/update", "/key/delete")
FAULTS = ("500", "500-after", "hang", "hang-after", "reset-before", "reset-after")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _hash_if_needed(token: str) -> str:
    # litellm/proxy/utils.py _hash_token_if_needed: values start with sk-, hashes do not.
    return hash_token(token) if token.startswith("sk-") else token


class _Reset(Exception):
    """Close the connection without an answer."""


class FakeLiteLLM:
    def __init__(self, master_key: str, port: int = 0) -> None:
        self.master_key = master_key
        self.keys: dict[str, dict] = {}
        self.lock = threading.Lock()
        self.race_window = 0.0
        self.alias_filter = "exact"
        self.faults: dict[str, list[str]] = {}
        self.always: dict[str, str] = {}
        self.requests: list[tuple[str, str]] = []
        # (method, path, fault or "") for every request, in arrival order.
        self.log: list[tuple[str, str, str]] = []
        self.released = threading.Event()
        # Called, under the lock, with the keys after every change: tests check invariants on every
        # intermediate state, not only on the final one.
        self.observers: list[Callable[[dict[str, dict]], None]] = []
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
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.released.set()
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    def release(self) -> None:
        """Let every hanging request finish (its connection is closed without an answer)."""
        self.released.set()

    def writes(self) -> list[tuple[str, str]]:
        return [r for r in self.requests if r[1] in WRITE_PATHS]

    def by_alias(self, alias: str) -> list[dict]:
        with self.lock:
            return [dict(k) for k in self.keys.values() if k.get("key_alias") == alias]

    def authenticates(self, value: str) -> bool:
        """Whether a request with this key would pass user_api_key_auth (database view)."""
        with self.lock:
            record = self.keys.get(hash_token(value))
            return record is not None and not record.get("blocked")

    def spend_of(self, value: str) -> Optional[float]:
        with self.lock:
            record = self.keys.get(hash_token(value))
            return None if record is None else record["spend"]

    def add_spend(self, value: str, amount: float) -> None:
        """What the proxy's spend writer does for a call made with this key (an increment)."""
        with self.lock:
            record = self.keys.get(hash_token(value))
            if record is not None:  # update_many on a deleted token matches no row: the spend is lost
                record["spend"] += amount
                self.changed()

    def changed(self) -> None:
        for observe in self.observers:
            observe(self.keys)

    # ------------------------------------------------------------------ dispatch

    def _next_fault(self, path: str) -> str:
        with self.lock:
            queue = self.faults.get(path)
            if queue:
                return queue.pop(0)
            return self.always.get(path, "")

    def handle(self, req: BaseHTTPRequestHandler, method: str) -> None:
        parsed = urllib.parse.urlparse(req.path)
        path, query = parsed.path, urllib.parse.parse_qs(parsed.query)
        body: dict = {}
        if method == "POST":
            length = int(req.headers.get("Content-Length") or 0)
            body = json.loads(req.rfile.read(length) or b"{}")
        fault = self._next_fault(path)
        with self.lock:
            self.requests.append((method, path))
            self.log.append((method, path, fault))
        if path == "/health/liveliness":
            return self.send(req, 200, "I'm alive!")
        if req.headers.get("Authorization") != f"Bearer {self.master_key}":
            return self.send(req, 401, {"error": {"message": "Authentication Error, Invalid proxy server token passed.", "code": "401"}})
        if fault == "500":
            return self.send(req, 500, {"error": {"message": "Internal Server Error.", "code": "500"}})
        if fault == "hang":
            self.released.wait()
            return self.reset(req)
        if fault == "reset-before":
            return self.reset(req)
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
        if fault == "500-after":
            return self.send(req, 500, {"error": {"message": "Internal Server Error.", "code": "500"}})
        if fault == "hang-after":
            self.released.wait()
            return self.reset(req)
        if fault == "reset-after":
            return self.reset(req)
        self.send(req, status, payload)

    @staticmethod
    def reset(req: BaseHTTPRequestHandler) -> None:
        # SO_LINGER 0: the close sends RST, as a crashed proxy or a dropped connection would.
        try:
            req.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            req.connection.close()
        except OSError:
            pass
        req.close_connection = True

    @staticmethod
    def send(req: BaseHTTPRequestHandler, status: int, payload: Any) -> None:
        data = (payload if isinstance(payload, str) else json.dumps(payload)).encode()
        try:
            req.send_response(status)
            req.send_header("Content-Type", "application/json")
            req.send_header("Content-Length", str(len(data)))
            req.end_headers()
            req.wfile.write(data)
        except OSError:
            pass

    @staticmethod
    def error(status: int, message: str) -> tuple[int, dict]:
        return status, {"error": {"message": message, "type": "bad_request_error" if status == 400 else "error", "param": "None", "code": str(status)}}

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
                # LiteLLM_VerificationToken.aliases defaults to {} (litellm/proxy/_types.py, GenerateRequestBase).
                "aliases": dict(body.get("aliases") or {}),
                "metadata": dict(body.get("metadata") or {}),
                "spend": float(body.get("spend") or 0.0),
                "blocked": None,
            }
            self.keys[token] = record
            self.changed()
            return 200, {**record, "key": key, "token_id": token}

    def update(self, body: dict, _query: dict) -> tuple[int, Any]:
        if body.get("max_budget") is not None and body["max_budget"] < 0:
            return self.error(400, f"max_budget cannot be negative. Received: {body['max_budget']}")
        token = _hash_if_needed(str(body.get("key", "")))
        with self.lock:
            record = self.keys.get(token)
            if record is None:
                # update_key_fn's own wording for a missing key.
                return self.error(404, f"Team not found, passed team_id={body.get('team_id')}")
            if self.alias_taken(body.get("key_alias"), except_token=token):
                return self.error(400, f"Key with alias '{body['key_alias']}' already exists. Unique key aliases across all keys are required.")
            for field in KEY_FIELDS:
                if field not in body:
                    continue
                if field == "budget_duration" and not body[field]:
                    continue
                record[field] = body[field]
            self.changed()
            return 200, {"key": body["key"], **{k: v for k, v in record.items() if k != "token"}}

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
            self.changed()
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

        def matches(key_alias: Optional[str]) -> bool:
            if alias is None or self.alias_filter == "ignored":
                return True
            if self.alias_filter == "substring":
                return key_alias is not None and alias.lower() in key_alias.lower()
            return key_alias == alias

        with self.lock:
            rows = [dict(k, metadata=dict(k["metadata"])) for k in self.keys.values() if matches(k["key_alias"])]
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
