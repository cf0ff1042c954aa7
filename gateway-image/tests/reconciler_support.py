"""Shared fixtures of the reconciler's tests (test_reconcile_keys.py, test_reconcile_faults.py,
test_reconcile_input.py): the script loaded as a module, fixture agents and keys, and a test case
that starts the fake admin API and runs the reconciler against it."""

from __future__ import annotations

import importlib.util
import io
import json
import threading
import unittest
from pathlib import Path
from typing import Optional

from .fake_litellm_admin import FakeLiteLLM, hash_token

RECONCILER_PATH = Path(__file__).resolve().parent.parent / "reconciler" / "reconcile_keys.py"
_spec = importlib.util.spec_from_file_location("reconcile_keys", RECONCILER_PATH)
RK = importlib.util.module_from_spec(_spec)
assert _spec.loader is not None
_spec.loader.exec_module(RK)

MASTER = "sk-master-" + "M" * 40
KEYS = {
    "supervisor": "sk-" + "a1" * 24,
    "chunking": "sk-" + "b2" * 24,
    "extraction": "sk-" + "c3" * 24,
}
# The supervisor's value after a rotation (keyVersion bumped: Terraform wrote a new secret value).
ROTATED = "sk-" + "d4" * 24


def agent(name: str, models: list[str], **extra: object) -> dict:
    return {"name": name, "models": models, "key_env": f"AGENT_KEY_{name.upper()}", "key_version": 1, **extra}


DEFAULT_AGENTS = [
    agent("supervisor", ["claude-primary", "claude-fallback"], max_budget=100.0, budget_duration="30d"),
    agent("chunking", ["claude-fast"], rpm_limit=60, tpm_limit=100000),
    agent("extraction", ["claude-primary", "claude-fallback"]),
]


class ReconcilerCase(unittest.TestCase):
    def setUp(self) -> None:
        self.fake = FakeLiteLLM(MASTER).start()
        self.addCleanup(self.fake.stop)

    def env(self, agents=DEFAULT_AGENTS, keys=None, **overrides: str) -> dict:
        env = {
            "AGENT_KEYS_DECLARED": json.dumps({"managed_by": "llm-gateway-infra", "agents": agents}),
            "LITELLM_MASTER_KEY": MASTER,
            "LITELLM_ADMIN_URL": self.fake.url,
            "RECONCILER_MAX_ATTEMPTS": "4",
            "RECONCILER_RETRY_SECONDS": "0.05",
            # Tests that inject hangs shorten it; elsewhere a slow shared machine must not look like a hang.
            "RECONCILER_REQUEST_TIMEOUT_SECONDS": "5",
            "RECONCILER_MAX_WAIT_SECONDS": "20",
        }
        for name, value in (keys or KEYS).items():
            env[f"AGENT_KEY_{name.upper()}"] = value
        env.update(overrides)
        return env

    def run_reconciler(self, env: dict) -> tuple[int, str]:
        out = io.StringIO()
        code = RK.main(env, out)
        output = out.getvalue()
        self.assert_log_shape(output)
        return code, output

    def run_concurrently(self, envs: list[dict]) -> list[tuple[int, str]]:
        results: list[Optional[tuple[int, str]]] = [None] * len(envs)

        def run(i: int) -> None:
            out = io.StringIO()
            results[i] = (RK.main(envs[i], out), out.getvalue())

        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(envs))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        self.assertTrue(all(r is not None for r in results), "a reconciler did not finish within 60 s")
        for _, output in results:  # type: ignore[misc]
            self.assert_log_shape(output)
        return results  # type: ignore[return-value]

    def assert_log_shape(self, output: str) -> None:
        self.assert_no_secret(output)
        # One JSON object per line; modules/agent-metrics counts {"key_reconciler": "failed"} lines.
        for line in output.splitlines():
            entry = json.loads(line)
            self.assertEqual(set(entry), {"key_reconciler", "message"})
            self.assertEqual(entry["key_reconciler"], "failed" if "FAILED" in entry["message"] else "info")

    def assert_no_secret(self, output: str) -> None:
        for value in [MASTER, *KEYS.values(), ROTATED]:
            self.assertNotIn(value, output)
            self.assertNotIn(value[3:20], output)

    def key(self, alias: str) -> dict:
        matches = self.fake.by_alias(alias)
        self.assertEqual(len(matches), 1, f"keys with alias {alias}: {matches}")
        return matches[0]

    @staticmethod
    def failed_lines(output: str) -> list[str]:
        return [json.loads(l)["message"] for l in output.splitlines() if json.loads(l)["key_reconciler"] == "failed"]


__all__ = ["DEFAULT_AGENTS", "KEYS", "MASTER", "RECONCILER_PATH", "RK", "ROTATED", "ReconcilerCase", "agent", "hash_token"]
