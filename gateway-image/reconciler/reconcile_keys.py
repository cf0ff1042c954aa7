"""Registers the agents' LiteLLM virtual keys through the proxy's admin API, then exits.

Runs as a non-essential container of the gateway task (same image, `key-reconciler`), started by ECS
once the proxy container is HEALTHY; the task's containers share one network namespace
(awsvpc), so the proxy is on localhost. Standard library only. docs/agents.md describes the
behaviour for operators; this docstring says what it relies on.

Input, all from the container environment:
  AGENT_KEYS_DECLARED  JSON, no secrets: {"managed_by": "...", "agents": [{"name", "models",
                       "max_budget", "budget_duration", "rpm_limit", "tpm_limit",
                       "key_version", "key_env", optional "aliases"}]} (modules/agent-keys/agent-keys.ts
                       writes it; "aliases" only with gateway.costAttribution)
  <key_env>            each agent's key value (ECS `secrets`, from its Secrets Manager secret)
  LITELLM_MASTER_KEY   the admin key (ECS `secrets`)
  LITELLM_ADMIN_URL    default http://127.0.0.1:4000
  RECONCILER_MAX_ATTEMPTS             attempts of one read, or of a write that surely did not
                                      reach the proxy (connection refused); default 30
  RECONCILER_RETRY_SECONDS            pause between attempts and after a failed write; default 5
  RECONCILER_REQUEST_TIMEOUT_SECONDS  socket timeout of one request (connect, and each read of
                                      the answer); default 15
  RECONCILER_MAX_WAIT_SECONDS         the whole run, waits and requests included; default 180
The whole declaration and these variables are checked before the first request: every problem is
one line, and the exit status is 2 with nothing sent.

LiteLLM admin API semantics relied on, from litellm/proxy/management_endpoints/
key_management_endpoints.py (read at BerriAI/litellm commit 00670428e1ec49f6f79eee1e58df7be472b719ab,
the newest copy the project could read; the image pins v1.108.26, gateway-image/Dockerfile):
  * POST /key/generate (generate_key_fn -> _common_key_generation_helper -> generate_key_helper_fn)
    accepts `key` (a custom value; must start with "sk-", else 400), `key_alias`, `spend` (stored as
    sent in the key's `spend` column; GenerateRequestBase.spend, litellm/proxy/_types.py) and the budget
    fields. `_enforce_unique_key_alias` is a `find_first` lookup before the
    insert, not a database constraint: two creates can both pass it, and the later insert then fails
    on the token primary key (500 "Internal Server Error.") or, once the first is committed, on the
    alias (400 "Key with alias '...' already exists").
  * The stored `token` is sha256(key) (hash_token, litellm/proxy/_types.py); every endpoint below
    accepts that hash in place of the key, so after creation the value itself is never sent again.
  * POST /key/update (update_key_fn -> prepare_key_update_data) names the key with `key` and pops it
    from the update: a key's value can never change. Only the fields sent change, `spend`
    (UpdateKeyRequest.spend) and `key_alias` included; `_enforce_unique_key_alias` excludes the key itself; `metadata` replaces
    the stored metadata; a null `budget_duration` is dropped (so a duration can be set, never
    cleared); 404 when the key does not exist.
  * POST /key/delete (delete_key_fn -> delete_verification_tokens): {"keys": [...]}; 404 "No keys
    found" when none exists. It evicts the key from the cache of the process that served it only.
  * GET /key/list (list_keys -> _list_key_helper): page >= 1, size 1..100, return_full_object=true.
    Its `key_alias` filter cannot be trusted to be exact (it sits in one OR branch and is ignored
    for callers with team-wide visibility, BerriAI/litellm#32062; /key/aliases matches substrings):
    every decision here compares aliases and tokens exactly, client side.
  * /key/regenerate (regenerate_key_fn) refuses virtual keys without a premium licence ("Regenerating
    Virtual Keys is an Enterprise feature"), so a rotation is: create the new key, carry the spend,
    delete the old one (Reconciler.plan).

Output: one JSON line per action ({"key_reconciler": "info" | "failed", "message": ...}), naming the
key alias and the first 12 characters of the token hash; never a key value (every value is redacted
from anything printed, including API error bodies).
Exit status: 0 when every declared key is in place, 1 otherwise, 2 for bad input (nothing sent).
"""

from __future__ import annotations

import hashlib
import json
import math
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
# `aliases` (GenerateKeyRequest.aliases, litellm/proxy/_types.py): the key's model aliases, which the proxy applies to
# the requested model after the key's `models` check (_update_model_if_key_alias_exists in
# litellm/proxy/litellm_pre_call_utils.py, add_litellm_data_to_request). Declared only with gateway.costAttribution;
# otherwise {} (LiteLLM's default), so aliases left from the mode are cleared when it is turned off.
OWNED_FIELDS = ("models", "max_budget", "budget_duration", "rpm_limit", "tpm_limit", "aliases")
# Field of the reconciler's log lines: "info", or "failed" when a key is not in place (modules/agent-metrics).
LOG_FIELD = "key_reconciler"
# Metadata on a key created by a rotation: {"<old token[:12]>": spend already carried from it}.
CARRIED_KEY = "spend_carried"
# A new key waits under "<agent>.next.<its token[:12]>" while the old one still holds the alias: the
# alias is unique (_enforce_unique_key_alias). "." never appears in an agent name (AGENT_NAME below).
PENDING_INFIX = ".next."
# Steps of one agent's convergence (create, top up, delete, rename, update) with room for retries.
MAX_STEPS = 12
SPEND_EPSILON = 1e-9

DEFAULTS = {
    "RECONCILER_MAX_ATTEMPTS": 30,
    "RECONCILER_RETRY_SECONDS": 5.0,
    "RECONCILER_REQUEST_TIMEOUT_SECONDS": 15.0,
    "RECONCILER_MAX_WAIT_SECONDS": 180.0,
}

# The same rules as config/agents.ts (agentsSpec, AGENT_NAME, LITELLM_DURATION): the declaration is
# written by the synth, but an image older or newer than the synth may read it.
AGENT_NAME = re.compile(r"^(?!.*--)[a-z][a-z0-9-]{0,30}[a-z0-9]$")
LITELLM_DURATION = re.compile(r"^[1-9][0-9]{0,5}(s|m|h|d|w|mo)$")
KEY_ENV = re.compile(r"^AGENT_KEY_[A-Z0-9_]+$")
# LiteLLM requires the "sk-" prefix (_common_key_generation_helper). The rest: printable, no
# whitespace (a value with a trailing newline would be registered, and the agent's header without
# it would not match), and long enough not to be guessable (the project writes sk- + 48 letters and digits).
KEY_VALUE = re.compile(r"^sk-[\x21-\x7e]{16,}$")
TOP_LEVEL_FIELDS = {"managed_by", "agents"}
AGENT_FIELDS = {"name", "models", "max_budget", "budget_duration", "rpm_limit", "tpm_limit", "key_version", "key_env", "aliases"}
MAX_BUDGET_RANGE = (0.01, 1_000_000)

# Not inside a word: an agent called "risk-scoring" keeps its name.
_ANY_KEY = re.compile(r"(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_\-*.]{4,}")
_TOKEN = re.compile(r"^[0-9a-f]{64}$")


class InputError(Exception):
    """The declared agents or the environment are malformed: nothing is attempted."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class ApiError(Exception):
    """A definite answer from the proxy that the request was refused (4xx), or a read that kept failing."""

    def __init__(self, method: str, path: str, status: int, body: str) -> None:
        super().__init__(f"{method} {path}: HTTP {status}: {body}")
        self.method, self.path, self.status, self.body = method, path, status, body


class WriteUncertain(Exception):
    """A write whose outcome is unknown (5xx, timeout, connection reset): re-read before deciding again."""


class Unreachable(Exception):
    """The proxy did not answer within the attempts or the total wait."""


def token_hash(key: str) -> str:
    """LiteLLM's stored token for a key (litellm/proxy/_types.py hash_token)."""
    return hashlib.sha256(key.encode()).hexdigest()


def short(token: str) -> str:
    return token[:12]


def pending_alias(name: str, token: str) -> str:
    return f"{name}{PENDING_INFIX}{short(token)}"


class Redactor:
    def __init__(self, secrets: list[str]) -> None:
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "[redacted]")
        # LiteLLM echoes parts of keys in some errors ("sk-ab****wxyz"): hide anything key-shaped.
        return _ANY_KEY.sub("sk-[redacted]", text)


class Deadline:
    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.started = clock()
        self.seconds = seconds

    def remaining(self) -> float:
        return self.seconds - (self.clock() - self.started)

    def elapsed(self) -> float:
        return self.clock() - self.started

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, min(seconds, self.remaining())))


class AdminClient:
    """The few LiteLLM admin calls. Reads are retried; a write is retried only when it surely never
    reached the proxy (connection refused, or 429): any other failure of a write is WriteUncertain and the
    caller re-reads the keys before deciding again."""

    def __init__(
        self,
        base_url: str,
        master_key: str,
        *,
        max_attempts: int,
        retry_seconds: float,
        request_timeout: float,
        deadline: Deadline,
        log: Callable[[str], None],
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.master_key = master_key
        self.max_attempts = max_attempts
        self.retry_seconds = retry_seconds
        self.request_timeout = request_timeout
        self.deadline = deadline
        self.log = log

    def call(self, method: str, path: str, body: Optional[dict] = None, query: Optional[dict] = None) -> Any:
        url = self.base_url + path + ("?" + urllib.parse.urlencode(query) if query else "")
        data = json.dumps(body).encode() if body is not None else None
        write = method != "GET"
        last = "no attempt"
        attempt = 0
        while attempt < self.max_attempts:
            remaining = self.deadline.remaining()
            if remaining <= 0:
                break
            attempt += 1
            request = urllib.request.Request(url, data=data, method=method)
            request.add_header("Authorization", f"Bearer {self.master_key}")
            if data is not None:
                request.add_header("Content-Type", "application/json")
            try:
                with urllib.request.urlopen(request, timeout=min(self.request_timeout, remaining)) as response:
                    text = response.read().decode("utf-8", "replace")
                    return json.loads(text) if text else None
            except urllib.error.HTTPError as e:
                text = e.read().decode("utf-8", "replace")
                if e.code != 429 and e.code < 500:
                    raise ApiError(method, path, e.code, text) from None
                if write and e.code != 429:
                    raise WriteUncertain(f"{method} {path}: HTTP {e.code}: {text}") from None
                last = f"HTTP {e.code}: {text}"
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as e:
                reason = getattr(e, "reason", e)
                last = str(reason) or type(reason).__name__
                if write and not isinstance(reason, ConnectionRefusedError):
                    raise WriteUncertain(f"{method} {path}: {last}") from None
            if attempt < self.max_attempts and self.deadline.remaining() > 0:
                self.log(f"{method} {path}: {last}; retry {attempt}/{self.max_attempts - 1} in {self.retry_seconds:g} s")
                self.deadline.sleep(self.retry_seconds)
        raise Unreachable(
            f"{method} {path}: the LiteLLM admin API at {self.base_url} gave no usable answer within "
            f"{self.deadline.elapsed():.0f} s ({attempt} attempt(s); last: {last})"
        )

    def list_keys(self) -> list[dict]:
        keys: list[dict] = []
        page = 1
        while True:
            query: dict[str, Any] = {"return_full_object": "true", "page": page, "size": PAGE_SIZE}
            result = self.call("GET", "/key/list", query=query)
            keys.extend(k for k in result.get("keys", []) if isinstance(k, dict))
            if page >= int(result.get("total_pages") or 1):
                return keys
            page += 1


# ---------------------------------------------------------------------------------------- input


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_declared(text: str, env: dict[str, str]) -> tuple[str, list[dict]]:
    """The whole declaration, checked before anything is sent: every problem found is reported."""
    try:
        declared = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError([f"AGENT_KEYS_DECLARED is not JSON: {e}"]) from None
    if not isinstance(declared, dict) or not isinstance(declared.get("agents"), list):
        raise InputError(['AGENT_KEYS_DECLARED: expected {"managed_by": "...", "agents": [...]}'])
    problems: list[str] = []
    for field in sorted(set(declared) - TOP_LEVEL_FIELDS):
        problems.append(f"AGENT_KEYS_DECLARED.{field}: unknown field (allowed: {', '.join(sorted(TOP_LEVEL_FIELDS))})")
    managed_by = declared.get("managed_by", DEFAULT_MANAGED_BY)
    if not isinstance(managed_by, str) or not managed_by.strip():
        problems.append(f"AGENT_KEYS_DECLARED.managed_by: got {managed_by!r}; expected a non-empty string")
    agents: list[dict] = []
    names: dict[str, int] = {}
    envs: dict[str, str] = {}
    values: dict[str, str] = {}
    for i, agent in enumerate(declared["agents"]):
        if not isinstance(agent, dict):
            problems.append(f"agents[{i}]: got {type(agent).__name__}; expected an object")
            continue
        name = agent.get("name")
        where = f"agents[{i}] ({name})" if isinstance(name, str) and name else f"agents[{i}]"

        def bad(field: str, value: Any, allowed: str) -> None:
            problems.append(f"{where}.{field}: got {json.dumps(value)}; allowed: {allowed}")

        for field in sorted(set(agent) - AGENT_FIELDS):
            problems.append(f"{where}.{field}: unknown field (allowed: {', '.join(sorted(AGENT_FIELDS))})")
        if not isinstance(name, str) or not AGENT_NAME.fullmatch(name):
            bad("name", name, "lower-case letters, digits and single hyphens, 2-32 characters, starting with a letter")
        elif name in names:
            bad("name", name, f"a name not already used (agents[{names[name]}])")
        else:
            names[name] = i
        models = agent.get("models")
        if (
            not isinstance(models, list)
            or not models
            or not all(isinstance(m, str) and m and not any(c.isspace() for c in m) for m in models)
        ):
            bad("models", models, "a non-empty list of model aliases (strings without spaces)")
        elif len(set(models)) != len(models):
            bad("models", models, "each alias once")
        aliases = agent.get("aliases")
        if aliases is not None and not (
            isinstance(aliases, dict)
            and all(isinstance(k, str) and isinstance(v, str) and v and not any(c.isspace() for c in v) for k, v in aliases.items())
            and isinstance(models, list)
            and all(k in models and v in models for k, v in aliases.items())
        ):
            bad("aliases", aliases, "absent, or an object mapping model aliases of `models` to model groups also in `models`")
        max_budget = agent.get("max_budget")
        if max_budget is not None and not (_is_number(max_budget) and MAX_BUDGET_RANGE[0] <= max_budget <= MAX_BUDGET_RANGE[1]):
            bad("max_budget", max_budget, f"null or a number of USD from {MAX_BUDGET_RANGE[0]} to {MAX_BUDGET_RANGE[1]:,}")
        duration = agent.get("budget_duration")
        if duration is not None:
            if not isinstance(duration, str) or not LITELLM_DURATION.fullmatch(duration):
                bad("budget_duration", duration, "null or a LiteLLM duration: a number and s, m, h, d, w or mo (30d, 1h, 1mo)")
            elif max_budget is None:
                bad("budget_duration", duration, "only together with max_budget")
        for field in ("rpm_limit", "tpm_limit"):
            value = agent.get(field)
            if value is not None and not (_is_int(value) and value >= 1):
                bad(field, value, "null or an integer >= 1")
        version = agent.get("key_version", 1)
        if not (_is_int(version) and version >= 1):
            bad("key_version", version, "an integer >= 1")
        key_env = agent.get("key_env")
        value = None
        if not isinstance(key_env, str) or not KEY_ENV.fullmatch(key_env):
            bad("key_env", key_env, "the name of the agent's key variable, AGENT_KEY_<NAME>")
        elif key_env in envs:
            bad("key_env", key_env, f"a variable no other agent uses ({envs[key_env]} does)")
        else:
            envs[key_env] = str(name)
            value = env.get(key_env)
            if not value:
                problems.append(f"{where}.key_env: the variable {key_env} is not set (the agent's secret)")
            elif not KEY_VALUE.fullmatch(value):
                # Never the value itself: its length and whether it has the prefix are enough to act on.
                problems.append(
                    f"{where}: the key in {key_env} is malformed ({len(value)} characters, "
                    f"{'starts' if value.startswith('sk-') else 'does not start'} with sk-); allowed: sk- and at least "
                    f"16 printable characters without spaces (LiteLLM refuses a custom key not starting with sk-)"
                )
            elif value in values:
                problems.append(f"{where}: the key in {key_env} is the same value as {values[value]}'s; each agent needs its own")
            elif value == env.get("LITELLM_MASTER_KEY"):
                problems.append(f"{where}: the key in {key_env} is the master key")
            else:
                values[value] = str(name)
        agents.append({**agent, "value": value})
    if problems:
        raise InputError(problems)
    return managed_by, [{**a, "models": sorted(set(a["models"]))} for a in agents]


def parse_settings(env: dict[str, str]) -> dict[str, float]:
    settings: dict[str, float] = {}
    problems: list[str] = []
    for name, default in DEFAULTS.items():
        raw = env.get(name)
        if raw is None or raw == "":
            settings[name] = default
            continue
        try:
            value = int(raw) if name == "RECONCILER_MAX_ATTEMPTS" else float(raw)
        except ValueError:
            value = None
        minimum = 1 if name == "RECONCILER_MAX_ATTEMPTS" else (0 if name == "RECONCILER_RETRY_SECONDS" else 0.001)
        if value is None or not math.isfinite(value) or value < minimum:
            problems.append(f"{name}: got {raw!r}; allowed: {'an integer' if name == 'RECONCILER_MAX_ATTEMPTS' else 'a number of seconds'} >= {minimum:g}")
        else:
            settings[name] = value
    if problems:
        raise InputError(problems)
    return settings


# ---------------------------------------------------------------------------------------- keys


def desired_fields(agent: dict, managed_by: str) -> dict:
    return {
        "models": agent["models"],
        "max_budget": agent.get("max_budget"),
        "budget_duration": agent.get("budget_duration"),
        "rpm_limit": agent.get("rpm_limit"),
        "tpm_limit": agent.get("tpm_limit"),
        "aliases": dict(agent.get("aliases") or {}),
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
    if (existing.get("aliases") or {}) != desired["aliases"]:
        changed.append("aliases")
    metadata = _metadata(existing)
    if any(metadata.get(k) != v for k, v in desired["metadata"].items()):
        changed.append("metadata")
    return changed


def _metadata(key: dict) -> dict:
    return key.get("metadata") if isinstance(key.get("metadata"), dict) else {}


def _spend(key: dict) -> float:
    spend = key.get("spend")
    return float(spend) if _is_number(spend) else 0.0


def _token(key: dict) -> str:
    token = key.get("token")
    return token if isinstance(token, str) and _TOKEN.fullmatch(token) else ""


class Reconciler:
    def __init__(
        self,
        client: AdminClient,
        managed_by: str,
        agents: list[dict],
        log: Callable[[str], None],
        *,
        retry_seconds: float,
    ) -> None:
        self.client = client
        self.managed_by = managed_by
        self.agents = agents
        self.log = log
        self.retry_seconds = retry_seconds
        self.writes = 0
        self.listing: Optional[list[dict]] = None

    def is_managed(self, key: dict) -> bool:
        return _metadata(key).get(MANAGED_BY_KEY) == self.managed_by

    def run(self) -> int:
        self.listing = self.client.list_keys()
        failures = 0
        for agent in self.agents:
            try:
                self.ensure(agent)
            except (ApiError, Unreachable, WriteUncertain, RuntimeError) as e:
                failures += 1
                self.log(f"{agent['name']}: FAILED: {e}")
        failures += self.remove_undeclared()
        self.log(f"done: {len(self.agents)} declared, {self.writes} write(s), {failures} failure(s)")
        return 1 if failures else 0

    def keys(self) -> list[dict]:
        """The last listing, or a new one when anything was written (or tried) since."""
        if self.listing is None:
            self.listing = self.client.list_keys()
        return self.listing

    def remove_undeclared(self) -> int:
        """Managed keys whose alias is exactly neither a declared name nor the pending alias of a declared
        key, and that hold no declared value."""
        failures = 0
        try:
            keys = self.keys()
        except (ApiError, Unreachable) as e:
            self.log(f"FAILED to list keys for removal: {e}")
            return 1
        kept_aliases = {a["name"] for a in self.agents} | {pending_alias(a["name"], token_hash(a["value"])) for a in self.agents}
        kept_tokens = {token_hash(a["value"]) for a in self.agents}
        for key in keys:
            alias = key.get("key_alias")
            if not self.is_managed(key) or alias in kept_aliases or key.get("token") in kept_tokens:
                continue
            if not _token(key):
                self.log(f"{alias}: not declared, but LiteLLM returned no token for it: not deleted")
                continue
            try:
                self.delete(key, f"{alias}: no longer declared")
            except (ApiError, Unreachable, WriteUncertain) as e:
                failures += 1
                self.log(f"{alias}: FAILED to remove: {e}")
        return failures

    def ensure(self, agent: dict) -> None:
        """Observe, take one step, observe again, until the agent's key is as declared. Every step is
        idempotent and every intermediate state leaves a working key holding the agent's spend."""
        name = agent["name"]
        last = ""
        for _ in range(MAX_STEPS):
            step = self.plan(agent, self.keys())
            if step is None:
                return
            description, action = step
            # Whatever happens below, the next decision is taken from a new listing.
            self.listing = None
            try:
                action()
            except ApiError as e:
                if e.status not in (400, 404):
                    raise
                # The state may have moved under us (another task's create, rename or delete): look again.
                last = str(e)
                self.log(f"{name}: {description}: HTTP {e.status}; re-reading the keys")
            except WriteUncertain as e:
                last = str(e)
                self.log(f"{name}: {description}: outcome unknown ({e}); re-reading the keys in {self.retry_seconds:g} s")
                self.client.deadline.sleep(self.retry_seconds)
        raise RuntimeError(f"not in place after {MAX_STEPS} steps (last: {last})")

    def plan(self, agent: dict, keys: list[dict]) -> Optional[tuple[str, Callable[[], None]]]:
        """The next step for one agent, from a fresh listing; None when the key is as declared.

        Rotation (the agent's secret holds a new value, T = its token): a managed key O holds the alias.
          1. create T under the pending alias `<name>.next.<T[:12]>`, with O's spend and
             metadata.spend_carried = {O[:12]: that spend};
          2. top up: spend recorded on O since (O.spend - carried) is added to T;
          3. delete O, by token, once T is in a listing (LiteLLM has stored it) and fully topped up;
          4. rename T to `<name>`.
        Both keys work from 1 to 3; T alone from 3 on. A failure anywhere leaves one of these states,
        and the next run (or a concurrent one) continues from it."""
        name = agent["name"]
        desired = desired_fields(agent, self.managed_by)
        token = token_hash(agent["value"])
        pending = pending_alias(name, token)
        holding = [k for k in keys if k.get("key_alias") == name]
        foreign = [k for k in holding if not self.is_managed(k)]
        if foreign:
            raise RuntimeError(
                f"a key with alias {name!r} exists that this reconciler does not manage "
                f"(token {short(str(foreign[0].get('token', '')))}); delete it, or add metadata "
                f'{{"{MANAGED_BY_KEY}": "{self.managed_by}"}} to it, then restart the task'
            )
        olds = [k for k in holding if k.get("token") != token and _token(k)]
        target = next((k for k in keys if k.get("token") == token), None)
        if target is None:
            alias = pending if olds else name
            spend = sum(_spend(o) for o in olds)
            carried = {short(_token(o)): _spend(o) for o in olds}
            return f"create (alias {alias})", lambda: self.generate(agent, desired, token, alias, spend, carried)
        if not self.is_managed(target):
            raise RuntimeError(f"the key holding this agent's value (token {short(token)}) is not managed by this reconciler: left alone")
        if target.get("key_alias") not in (name, pending):
            raise RuntimeError(
                f"the key holding this agent's value (token {short(token)}) has alias {target.get('key_alias')!r}, "
                f"neither {name!r} nor {pending!r}: left alone"
            )
        carried = _metadata(target).get(CARRIED_KEY)
        carried = carried if isinstance(carried, dict) else {}
        for old in olds:
            old_token = _token(old)
            already = carried.get(short(old_token))
            delta = _spend(old) - (float(already) if _is_number(already) else 0.0)
            if delta > SPEND_EPSILON:
                return f"carry {delta:g} USD of spend from token {short(old_token)}", lambda: self.top_up(target, old, delta, carried)
            return f"retire token {short(old_token)}", lambda: self.delete(old, f"{name}: replaced by token {short(token)}")
        if target.get("key_alias") == pending:
            return f"rename to {name}", lambda: self.update(target, {"key_alias": name}, f"{name}: renamed from {pending}")
        changed = differences(target, desired)
        in_place = [f for f in changed if not (f == "budget_duration" and desired["budget_duration"] is None)]
        if in_place:
            return f"update {', '.join(in_place)}", lambda: self.update_fields(target, desired, in_place)
        if changed:
            # prepare_key_update_data drops a null budget_duration; recreating the key under the same value
            # would leave the agent keyless for a moment (the value is the token: two keys cannot share it).
            raise RuntimeError(
                "budget_duration cannot be removed from a key in place (LiteLLM ignores a null budget_duration "
                "on /key/update); bump the agent's keyVersion: the rotation creates the new key without it"
            )
        return None

    # ------------------------------------------------------------------ writes

    def generate(self, agent: dict, desired: dict, token: str, alias: str, spend: float, carried: dict) -> None:
        metadata = dict(desired["metadata"])
        if carried:
            metadata[CARRIED_KEY] = carried
        body: dict[str, Any] = {"key": agent["value"], "key_alias": alias, "models": desired["models"], "metadata": metadata}
        for field in ("max_budget", "budget_duration", "rpm_limit", "tpm_limit"):
            if desired[field] is not None:
                body[field] = desired[field]
        if desired["aliases"]:
            body["aliases"] = desired["aliases"]
        if spend > 0:
            body["spend"] = spend
        self.client.call("POST", "/key/generate", body)
        self.writes += 1
        self.log(f"{alias}: created (token {short(token)}, spend {spend:g} USD carried)")

    def top_up(self, target: dict, old: dict, delta: float, carried: dict) -> None:
        # An absolute value: an increment the proxy's spend writer commits to the new key between the listing
        # and this write is overwritten (docs/agents.md says how large that window is).
        metadata = {**_metadata(target), CARRIED_KEY: {**carried, short(_token(old)): _spend(old)}}
        self.update(target, {"spend": _spend(target) + delta, "metadata": metadata}, f"{target.get('key_alias')}: carried {delta:g} USD from token {short(_token(old))}")

    def update_fields(self, target: dict, desired: dict, changed: list[str]) -> None:
        body: dict[str, Any] = {f: desired[f] for f in OWNED_FIELDS if f != "budget_duration"}
        if desired["budget_duration"] is not None:
            body["budget_duration"] = desired["budget_duration"]
        # metadata is replaced as a whole: send the key's other metadata back with ours.
        body["metadata"] = {**_metadata(target), **desired["metadata"]}
        self.update(target, body, f"{target.get('key_alias')}: updated {', '.join(changed)}")

    def update(self, key: dict, fields: dict, message: str) -> None:
        token = _token(key)
        self.client.call("POST", "/key/update", {"key": token, **fields})
        self.writes += 1
        self.log(f"{message} (token {short(token)})")

    def delete(self, key: dict, reason: str) -> None:
        token = _token(key)
        if not token:
            raise RuntimeError(f"{reason}: no token in LiteLLM's answer: not deleted")
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

    problems: list[str] = []
    master = env.get("LITELLM_MASTER_KEY", "")
    if not master:
        problems.append("LITELLM_MASTER_KEY is not set")
    settings: dict[str, float] = {}
    managed_by, agents = DEFAULT_MANAGED_BY, []
    for check in (lambda: parse_settings(env), lambda: parse_declared(env.get("AGENT_KEYS_DECLARED", ""), env)):
        try:
            result = check()
        except InputError as e:
            problems.extend(e.problems)
            continue
        if isinstance(result, dict):
            settings = result
        else:
            managed_by, agents = result
    if problems:
        for problem in problems:
            log(f"FAILED: bad input: {problem}")
        log(f"nothing was sent to LiteLLM: {len(problems)} problem(s) in the input")
        return 2
    deadline = Deadline(settings["RECONCILER_MAX_WAIT_SECONDS"])
    client = AdminClient(
        env.get("LITELLM_ADMIN_URL", DEFAULT_URL),
        master,
        max_attempts=int(settings["RECONCILER_MAX_ATTEMPTS"]),
        retry_seconds=settings["RECONCILER_RETRY_SECONDS"],
        request_timeout=settings["RECONCILER_REQUEST_TIMEOUT_SECONDS"],
        deadline=deadline,
        log=log,
    )
    try:
        return Reconciler(client, managed_by, agents, log, retry_seconds=settings["RECONCILER_RETRY_SECONDS"]).run()
    except Unreachable as e:
        log(f"FAILED: {e}; no key was changed")
        return 1
    except ApiError as e:
        log(f"FAILED: {e}")
        return 1
    except Exception as e:  # noqa: BLE001 - e.g. a non-JSON answer: still one redacted line, never a traceback
        log(f"FAILED: unexpected {type(e).__name__}: {e}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
