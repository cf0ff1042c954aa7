"""Registers the agents' LiteLLM virtual keys through the proxy's admin API, then exits.

Runs as a non-essential container of the gateway task (same image, `key-reconciler`), started by ECS
once the proxy container is HEALTHY; the task's containers share one network namespace
(awsvpc), so the proxy is on localhost. Standard library only.

Input, all from the container environment:
  AGENT_KEYS_DECLARED  JSON, no secrets: {"managed_by": "...", "agents": [{"name", "models",
                       "max_budget", "budget_duration", "rpm_limit", "tpm_limit",
                       "key_version", "key_env"}]}
  <key_env>            each agent's key value (ECS `secrets`, from its Secrets Manager secret)
  LITELLM_MASTER_KEY   the admin key (ECS `secrets`)
  LITELLM_ADMIN_URL    default http://127.0.0.1:4000
  RECONCILER_MAX_ATTEMPTS, RECONCILER_RETRY_SECONDS   bounded retries (defaults 30 and 5 s)

LiteLLM admin API semantics relied on (litellm/proxy/management_endpoints/key_management_endpoints.py):
  * POST /key/generate (generate_key_fn -> _common_key_generation_helper): a custom `key` must
    start with "sk-" (else 400); `_enforce_unique_key_alias` rejects an alias another key has
    (400 "Key with alias '...' already exists"). The check is a read before the insert, not a
    database constraint, so two tasks racing with the same key value can also end in the
    insert failing on the token primary key, which generate_key_helper_fn reports as 500.
  * The stored `token` is sha256(key).hexdigest() (litellm/proxy/_types.py hash_token); every
    endpoint below accepts that hash in place of the key, so after creation the value itself is
    never sent again.
  * POST /key/update (update_key_fn -> prepare_key_update_data): only the fields sent change;
    `metadata` replaces the stored metadata; a null `budget_duration` is dropped, so a duration
    can be set but not cleared (the key is then recreated).
  * POST /key/delete (delete_key_fn): {"keys": [...]} or {"key_aliases": [...]}; 404 "No keys
    found" when none exist. Deletion here is always by token hash, never by alias: an alias
    may already name the key another task has just created.
  * GET /key/list (list_keys -> _list_key_helper): page >= 1, size 1..100, key_alias filter,
    return_full_object=true for the key rows; a proxy admin sees every key.
  * /key/regenerate (regenerate_key_fn) is an Enterprise feature for virtual keys, so a key whose
    value changed (rotation) is deleted and generated again; its spend is carried over with the
    `spend` field of /key/generate.

Output: one JSON line per action ({"key_reconciler": "info" | "failed", "message": ...}), naming the key alias and the first 12 characters of the token hash;
never a key value (every value is redacted from anything printed, including API error bodies).
Exit status: 0 when every declared key is in place, 1 otherwise, 2 for bad input.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Callable, Optional

DEFAULT_URL = "http://127.0.0.1:4000"
MANAGED_BY_KEY = "managed_by"
DEFAULT_MANAGED_BY = "llm-gateway-infra"
# /key/list accepts at most 100 per page (list_keys: size le=100).
PAGE_SIZE = 100
# Fields of a key this reconciler owns; anything else on the key is left as LiteLLM keeps it.
OWNED_FIELDS = ("models", "max_budget", "budget_duration", "rpm_limit", "tpm_limit")
# Field of the reconciler's log lines: "info", or "failed" when a key is not in place (modules/agent-metrics).
LOG_FIELD = "key_reconciler"
# Not inside a word: an agent called "risk-scoring" keeps its name.
_ANY_KEY = re.compile(r"(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_\-*.]{4,}")


class InputError(Exception):
    """The declared agents or the environment are malformed: nothing is attempted."""


class ApiError(Exception):
    def __init__(self, method: str, path: str, status: int, body: str) -> None:
        super().__init__(f"{method} {path}: HTTP {status}: {body}")
        self.method, self.path, self.status, self.body = method, path, status, body


class Unreachable(Exception):
    """The proxy did not answer (or kept answering 5xx) within the retry budget."""


def token_hash(key: str) -> str:
    """LiteLLM's stored token for a key (litellm/proxy/_types.py hash_token)."""
    return hashlib.sha256(key.encode()).hexdigest()


def short(token: str) -> str:
    return token[:12]


class Redactor:
    def __init__(self, secrets: list[str]) -> None:
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "[redacted]")
        # LiteLLM echoes parts of keys in some errors ("sk-ab****wxyz"): hide anything key-shaped.
        return _ANY_KEY.sub("sk-[redacted]", text)


class AdminClient:
    """The few LiteLLM admin calls, with bounded retries on connection errors, 429 and 5xx."""

    def __init__(
        self,
        base_url: str,
        master_key: str,
        *,
        max_attempts: int,
        retry_seconds: float,
        log: Callable[[str], None],
        timeout: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.master_key = master_key
        self.max_attempts = max_attempts
        self.retry_seconds = retry_seconds
        self.log = log
        self.timeout = timeout

    def call(self, method: str, path: str, body: Optional[dict] = None, query: Optional[dict] = None) -> Any:
        url = self.base_url + path + ("?" + urllib.parse.urlencode(query) if query else "")
        data = json.dumps(body).encode() if body is not None else None
        last = ""
        for attempt in range(1, self.max_attempts + 1):
            request = urllib.request.Request(url, data=data, method=method)
            request.add_header("Authorization", f"Bearer {self.master_key}")
            if data is not None:
                request.add_header("Content-Type", "application/json")
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    text = response.read().decode("utf-8", "replace")
                    return json.loads(text) if text else None
            except urllib.error.HTTPError as e:
                text = e.read().decode("utf-8", "replace")
                if e.code != 429 and e.code < 500:
                    raise ApiError(method, path, e.code, text) from None
                last = f"HTTP {e.code}: {text}"
                if attempt == self.max_attempts:
                    raise ApiError(method, path, e.code, text) from None
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as e:
                last = str(getattr(e, "reason", e))
            if attempt < self.max_attempts:
                self.log(f"{method} {path}: {last}; retry {attempt}/{self.max_attempts - 1} in {self.retry_seconds:g} s")
                time.sleep(self.retry_seconds)
        raise Unreachable(f"{method} {path}: no answer after {self.max_attempts} attempts ({last})")

    def list_keys(self, key_alias: Optional[str] = None) -> list[dict]:
        keys: list[dict] = []
        page = 1
        while True:
            query: dict[str, Any] = {"return_full_object": "true", "page": page, "size": PAGE_SIZE}
            if key_alias is not None:
                query["key_alias"] = key_alias
            result = self.call("GET", "/key/list", query=query)
            keys.extend(k for k in result.get("keys", []) if isinstance(k, dict))
            if page >= int(result.get("total_pages") or 1):
                return keys
            page += 1


def parse_declared(text: str, env: dict[str, str]) -> tuple[str, list[dict]]:
    try:
        declared = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"AGENT_KEYS_DECLARED is not JSON: {e}") from None
    if not isinstance(declared, dict) or not isinstance(declared.get("agents"), list):
        raise InputError('AGENT_KEYS_DECLARED: expected {"agents": [...]}')
    managed_by = declared.get("managed_by") or DEFAULT_MANAGED_BY
    agents: list[dict] = []
    seen: set[str] = set()
    for i, agent in enumerate(declared["agents"]):
        name = agent.get("name") if isinstance(agent, dict) else None
        if not isinstance(name, str) or not name:
            raise InputError(f"AGENT_KEYS_DECLARED.agents[{i}].name: expected a non-empty string")
        if name in seen:
            raise InputError(f"AGENT_KEYS_DECLARED.agents[{i}].name: {name!r} is declared twice")
        seen.add(name)
        models = agent.get("models")
        if not isinstance(models, list) or not models or not all(isinstance(m, str) for m in models):
            raise InputError(f"AGENT_KEYS_DECLARED.agents[{i}].models: expected a non-empty list of aliases")
        key_env = agent.get("key_env")
        value = env.get(key_env) if isinstance(key_env, str) else None
        if not value:
            raise InputError(f"agent {name}: its key variable {key_env!r} is not set")
        if not value.startswith("sk-"):
            # generate_key_fn: "LiteLLM Virtual Key must start with 'sk-'".
            raise InputError(f"agent {name}: its key (from {key_env}) does not start with sk-")
        agents.append({**agent, "models": sorted(set(models)), "value": value})
    return managed_by, agents


def desired_fields(agent: dict, managed_by: str) -> dict:
    return {
        "models": agent["models"],
        "max_budget": agent.get("max_budget"),
        "budget_duration": agent.get("budget_duration"),
        "rpm_limit": agent.get("rpm_limit"),
        "tpm_limit": agent.get("tpm_limit"),
        "metadata": {MANAGED_BY_KEY: managed_by, "agent": agent["name"], "key_version": agent.get("key_version", 1)},
    }


def _same_number(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        return abs(float(a) - float(b)) < 1e-9
    except (TypeError, ValueError):
        return False


def differences(existing: dict, desired: dict) -> list[str]:
    changed = []
    if sorted(existing.get("models") or []) != desired["models"]:
        changed.append("models")
    for field in ("max_budget", "rpm_limit", "tpm_limit"):
        if not _same_number(existing.get(field), desired[field]):
            changed.append(field)
    if (existing.get("budget_duration") or None) != desired["budget_duration"]:
        changed.append("budget_duration")
    metadata = existing.get("metadata") if isinstance(existing.get("metadata"), dict) else {}
    if any(metadata.get(k) != v for k, v in desired["metadata"].items()):
        changed.append("metadata")
    return changed


class Reconciler:
    def __init__(self, client: AdminClient, managed_by: str, agents: list[dict], log: Callable[[str], None]) -> None:
        self.client = client
        self.managed_by = managed_by
        self.agents = agents
        self.log = log
        self.writes = 0

    def is_managed(self, key: dict) -> bool:
        metadata = key.get("metadata")
        return isinstance(metadata, dict) and metadata.get(MANAGED_BY_KEY) == self.managed_by

    def run(self) -> int:
        keys = self.client.list_keys()
        by_alias: dict[str, list[dict]] = {}
        for key in keys:
            if isinstance(key.get("key_alias"), str):
                by_alias.setdefault(key["key_alias"], []).append(key)
        failures = 0
        for agent in self.agents:
            try:
                self.ensure(agent, by_alias.get(agent["name"], []))
            except (ApiError, Unreachable, RuntimeError) as e:
                failures += 1
                self.log(f"{agent['name']}: FAILED: {e}")
        declared = {a["name"] for a in self.agents}
        for key in keys:
            alias = key.get("key_alias")
            if self.is_managed(key) and alias not in declared:
                try:
                    self.delete(key, f"{alias}: no longer declared")
                except (ApiError, Unreachable) as e:
                    failures += 1
                    self.log(f"{alias}: FAILED to remove: {e}")
        self.log(f"done: {len(self.agents)} declared, {self.writes} write(s), {failures} failure(s)")
        return 1 if failures else 0

    def ensure(self, agent: dict, existing: list[dict], *, retried: bool = False) -> None:
        name = agent["name"]
        desired = desired_fields(agent, self.managed_by)
        token = token_hash(agent["value"])
        foreign = [k for k in existing if not self.is_managed(k)]
        if foreign:
            raise RuntimeError(
                f"a key with alias {name!r} exists that this reconciler does not manage "
                f"(token {short(str(foreign[0].get('token', '')))}); delete it, or add metadata "
                f'{{"{MANAGED_BY_KEY}": "{self.managed_by}"}} to it, then restart the task'
            )
        current = [k for k in existing if k.get("token") == token]
        for stale in (k for k in existing if k.get("token") != token):
            # The secret holds a new value (rotation), or a leftover: /key/regenerate is Enterprise.
            self.delete(stale, f"{name}: key value changed")
        if current:
            key = current[0]
            changed = differences(key, desired)
            if not changed:
                self.log(f"{name}: unchanged (token {short(token)})")
                return
            if "budget_duration" in changed and desired["budget_duration"] is None:
                # /key/update drops a null budget_duration: recreate to clear it.
                self.delete(key, f"{name}: budget_duration removed")
                self.generate(agent, desired, token, spend=key.get("spend"), retried=retried)
                return
            metadata = {**(key.get("metadata") or {}), **desired["metadata"]}
            body = {"key": token, "key_alias": name, **{f: desired[f] for f in OWNED_FIELDS if f != "budget_duration"}, "metadata": metadata}
            if desired["budget_duration"] is not None:
                body["budget_duration"] = desired["budget_duration"]
            self.client.call("POST", "/key/update", body)
            self.writes += 1
            self.log(f"{name}: updated {', '.join(changed)} (token {short(token)})")
            return
        spend = next((k.get("spend") for k in existing), None)
        self.generate(agent, desired, token, spend=spend, retried=retried)

    def generate(self, agent: dict, desired: dict, token: str, *, spend: Any, retried: bool) -> None:
        name = agent["name"]
        body: dict[str, Any] = {"key": agent["value"], "key_alias": name, "models": desired["models"], "metadata": desired["metadata"]}
        for field in ("max_budget", "budget_duration", "rpm_limit", "tpm_limit"):
            if desired[field] is not None:
                body[field] = desired[field]
        if isinstance(spend, (int, float)) and spend > 0:
            body["spend"] = spend
        try:
            self.client.call("POST", "/key/generate", body)
        except ApiError as e:
            if retried or e.status not in (400, 500):
                raise
            # Another task won the race (duplicate alias, or the same token inserted first):
            # read what it wrote and converge on it.
            self.log(f"{name}: create lost a race (HTTP {e.status}); re-reading")
            self.ensure(agent, self.client.list_keys(key_alias=name), retried=True)
            return
        self.writes += 1
        self.log(f"{name}: created (token {short(token)})")

    def delete(self, key: dict, reason: str) -> None:
        token = str(key.get("token", ""))
        try:
            self.client.call("POST", "/key/delete", {"keys": [token]})
        except ApiError as e:
            if e.status != 404:
                raise
            self.log(f"{reason}: token {short(token)} already gone")
            return
        self.writes += 1
        self.log(f"{reason}: deleted token {short(token)}")


def main(env: Optional[dict[str, str]] = None, out=None) -> int:
    env = dict(os.environ if env is None else env)
    out = out or sys.stdout
    secrets = [v for k, v in env.items() if k == "LITELLM_MASTER_KEY" or k.startswith("AGENT_KEY_")]
    redact = Redactor(secrets)

    def log(message: str) -> None:
        # One JSON object per line, like the proxy's JSON logs; the observability stack counts the "failed" ones.
        status = "failed" if "FAILED" in message else "info"
        out.write(json.dumps({LOG_FIELD: status, "message": "reconcile_keys: " + redact(message)}) + "\n")
        out.flush()

    try:
        master = env.get("LITELLM_MASTER_KEY", "")
        if not master:
            raise InputError("LITELLM_MASTER_KEY is not set")
        managed_by, agents = parse_declared(env.get("AGENT_KEYS_DECLARED", ""), env)
        redact = Redactor(secrets + [a["value"] for a in agents] + [master])
        attempts = int(env.get("RECONCILER_MAX_ATTEMPTS", "30"))
        delay = float(env.get("RECONCILER_RETRY_SECONDS", "5"))
        if attempts < 1 or delay < 0:
            raise InputError("RECONCILER_MAX_ATTEMPTS must be >= 1 and RECONCILER_RETRY_SECONDS >= 0")
    except (InputError, ValueError) as e:
        log(f"FAILED: bad input: {e}")
        return 2
    client = AdminClient(env.get("LITELLM_ADMIN_URL", DEFAULT_URL), master, max_attempts=attempts, retry_seconds=delay, log=log)
    try:
        return Reconciler(client, managed_by, agents, log).run()
    except (ApiError, Unreachable) as e:
        log(f"FAILED: {e}")
        return 1
    except Exception as e:  # noqa: BLE001 - e.g. a non-JSON answer: still one redacted line, never a traceback
        log(f"FAILED: unexpected {type(e).__name__}: {e}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
