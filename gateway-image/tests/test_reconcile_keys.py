"""Drives reconciler/reconcile_keys.py against a fake LiteLLM admin API on loopback.

Run from the repository root:
    python3 -m unittest discover -s gateway-image/tests -t gateway-image
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import time
import unittest

from .fake_litellm_admin import FakeLiteLLM, free_port, hash_token
from .reconciler_support import DEFAULT_AGENTS, KEYS, MASTER, RECONCILER_PATH, RK, ROTATED, ReconcilerCase, agent


class ReconcilerTest(ReconcilerCase):
    # ------------------------------------------------------------------ first deploy

    def test_first_deploy_creates_every_declared_key_with_its_value_and_settings(self) -> None:
        code, output = self.run_reconciler(self.env())
        self.assertEqual(code, 0, output)
        supervisor = self.key("supervisor")
        self.assertEqual(supervisor["token"], hash_token(KEYS["supervisor"]))
        self.assertEqual(supervisor["models"], ["claude-fallback", "claude-primary"])
        self.assertEqual(supervisor["max_budget"], 100.0)
        self.assertEqual(supervisor["budget_duration"], "30d")
        self.assertEqual(supervisor["metadata"], {"managed_by": "llm-gateway-infra", "agent": "supervisor", "key_version": 1})
        chunking = self.key("chunking")
        self.assertEqual((chunking["rpm_limit"], chunking["tpm_limit"], chunking["max_budget"]), (60, 100000, None))
        self.assertEqual(len(self.fake.keys), 3)
        self.assertEqual([w[1] for w in self.fake.writes()], ["/key/generate"] * 3)
        self.assertIn("supervisor: created (token " + hash_token(KEYS["supervisor"])[:12] + ", spend 0 USD carried)", output)

    def test_an_agent_can_call_the_gateway_with_the_value_from_its_secret(self) -> None:
        self.run_reconciler(self.env())
        # /key/info with the agent's own value finds its row: the value registered is the secret's.
        request = self.fake.info({}, {"key": [KEYS["chunking"]]})
        self.assertEqual(request[0], 200)
        self.assertEqual(request[1]["info"]["key_alias"], "chunking")

    # ------------------------------------------------------------------ re-deploy

    def test_redeploy_without_change_writes_nothing(self) -> None:
        self.run_reconciler(self.env())
        before = len(self.fake.writes())
        code, output = self.run_reconciler(self.env())
        self.assertEqual(code, 0, output)
        self.assertEqual(len(self.fake.writes()), before)
        self.assertIn("done: 3 declared, 0 write(s), 0 failure(s)", output)

    def test_changed_budget_and_models_update_the_key_in_place(self) -> None:
        self.run_reconciler(self.env())
        self.fake.keys[hash_token(KEYS["supervisor"])]["spend"] = 12.5
        changed = [agent("supervisor", ["claude-primary"], max_budget=250.0, budget_duration="7d"), *DEFAULT_AGENTS[1:]]
        code, output = self.run_reconciler(self.env(changed))
        self.assertEqual(code, 0, output)
        supervisor = self.key("supervisor")
        self.assertEqual((supervisor["max_budget"], supervisor["budget_duration"], supervisor["models"]), (250.0, "7d", ["claude-primary"]))
        self.assertEqual(supervisor["token"], hash_token(KEYS["supervisor"]))
        self.assertEqual(supervisor["spend"], 12.5)
        self.assertEqual([w[1] for w in self.fake.writes()][3:], ["/key/update"])
        self.assertIn("supervisor: updated models, max_budget, budget_duration", output)

    # ------------------------------------------------------------------ gateway.costAttribution

    def test_declared_aliases_are_set_on_the_key_and_cleared_when_the_mode_is_turned_off(self) -> None:
        # The key's `aliases` (GenerateKeyRequest.aliases) route the public alias to the agent's own deployment.
        routed = {"claude-primary": "claude-primary@supervisor", "claude-fallback": "claude-fallback@supervisor"}
        models = ["claude-fallback", "claude-fallback@supervisor", "claude-primary", "claude-primary@supervisor"]
        with_aliases = [agent("supervisor", models, max_budget=100.0, budget_duration="30d", aliases=routed), *DEFAULT_AGENTS[1:]]
        code, output = self.run_reconciler(self.env(with_aliases))
        self.assertEqual(code, 0, output)
        self.assertEqual(self.key("supervisor")["aliases"], routed)
        self.assertEqual(self.key("chunking")["aliases"], {})
        generate = [w for w in self.fake.writes() if w[1] == "/key/generate"]
        self.assertEqual(len(generate), 3)
        # Unchanged: nothing written.
        before = len(self.fake.writes())
        self.assertEqual(self.run_reconciler(self.env(with_aliases))[0], 0)
        self.assertEqual(len(self.fake.writes()), before)
        # Mode off: the declaration has no aliases; the key must not keep routing to deployments that are gone.
        code, output = self.run_reconciler(self.env())
        self.assertEqual(code, 0, output)
        self.assertEqual(self.key("supervisor")["aliases"], {})
        self.assertIn("supervisor: updated models, aliases", output)

    def test_aliases_to_a_model_the_key_may_not_call_are_bad_input(self) -> None:
        bad = [agent("supervisor", ["claude-primary"], aliases={"claude-primary": "claude-primary@supervisor"}), *DEFAULT_AGENTS[1:]]
        code, output = self.run_reconciler(self.env(bad))
        self.assertEqual(code, 2, output)
        self.assertIn("agents[0] (supervisor).aliases", output)
        self.assertEqual(self.fake.writes(), [])

    def test_removing_a_budget_duration_is_refused_in_place_and_applied_by_a_rotation(self) -> None:
        self.run_reconciler(self.env())
        self.fake.add_spend(KEYS["supervisor"], 3.0)
        changed = [agent("supervisor", ["claude-primary", "claude-fallback"], max_budget=100.0, key_version=1), *DEFAULT_AGENTS[1:]]
        before = len(self.fake.writes())
        code, output = self.run_reconciler(self.env(changed))
        # LiteLLM drops a null budget_duration on /key/update; recreating the key under the same value would
        # leave the agent keyless for a moment. The key stays as it was, working, and the run says so.
        self.assertEqual(code, 1, output)
        self.assertIn("supervisor: FAILED: budget_duration cannot be removed from a key in place", output)
        self.assertEqual(len(self.fake.writes()), before)
        self.assertTrue(self.fake.authenticates(KEYS["supervisor"]))
        # The documented way: bump keyVersion; the new key is created without the duration, spend carried.
        rotated = [agent("supervisor", ["claude-primary", "claude-fallback"], max_budget=100.0, key_version=2), *DEFAULT_AGENTS[1:]]
        code, output = self.run_reconciler(self.env(rotated, keys=dict(KEYS, supervisor=ROTATED)))
        self.assertEqual(code, 0, output)
        supervisor = self.key("supervisor")
        self.assertIsNone(supervisor["budget_duration"])
        self.assertEqual(supervisor["spend"], 3.0)
        self.assertEqual(supervisor["token"], hash_token(ROTATED))

    def test_rotated_key_value_replaces_the_key_and_carries_its_spend(self) -> None:
        self.run_reconciler(self.env())
        old = hash_token(KEYS["supervisor"])
        self.fake.keys[old]["spend"] = 42.0
        rotated = dict(KEYS, supervisor=ROTATED)
        code, output = self.run_reconciler(self.env(keys=rotated))
        self.assertEqual(code, 0, output)
        supervisor = self.key("supervisor")
        self.assertEqual(supervisor["token"], hash_token(ROTATED))
        self.assertEqual(supervisor["spend"], 42.0)
        self.assertNotIn(old, self.fake.keys)
        self.assertTrue(self.fake.authenticates(ROTATED))
        self.assertFalse(self.fake.authenticates(KEYS["supervisor"]))
        new = hash_token(ROTATED)[:12]
        # Create under the pending alias, retire the old key, then take the alias: in that order.
        self.assertEqual([w[1] for w in self.fake.writes()][3:], ["/key/generate", "/key/delete", "/key/update"])
        self.assertIn(f"supervisor.next.{new}: created (token {new}, spend 42 USD carried)", output)
        self.assertIn(f"supervisor: replaced by token {new}: deleted token {old[:12]}", output)
        self.assertIn(f"supervisor: renamed from supervisor.next.{new} (token {new})", output)
        self.assertEqual(supervisor["metadata"]["spend_carried"], {old[:12]: 42.0})

    # ------------------------------------------------------------------ removal

    def test_removed_agent_loses_its_key_and_unmanaged_keys_are_left_alone(self) -> None:
        self.run_reconciler(self.env())
        self.fake.generate({"key": "sk-" + "e5" * 24, "key_alias": "hand-made", "models": []}, {})
        code, output = self.run_reconciler(self.env(DEFAULT_AGENTS[:2]))
        self.assertEqual(code, 0, output)
        self.assertEqual(self.fake.by_alias("extraction"), [])
        self.assertEqual(len(self.fake.by_alias("hand-made")), 1)
        self.assertEqual(sorted(k["key_alias"] for k in self.fake.keys.values()), ["chunking", "hand-made", "supervisor"])
        self.assertIn("extraction: no longer declared: deleted token", output)

    def test_an_unmanaged_key_holding_a_declared_alias_is_reported_not_taken_over(self) -> None:
        self.fake.generate({"key": "sk-" + "e5" * 24, "key_alias": "chunking", "models": ["claude-fast"]}, {})
        code, output = self.run_reconciler(self.env())
        self.assertEqual(code, 1)
        self.assertIn("chunking: FAILED: a key with alias 'chunking' exists that this reconciler does not manage", output)
        self.assertEqual(self.key("chunking")["token"], hash_token("sk-" + "e5" * 24))
        # The other agents are still reconciled.
        self.assertEqual(len(self.fake.by_alias("supervisor")), 1)

    def test_lists_every_page_of_keys(self) -> None:
        for i in range(230):
            self.fake.generate({"key": f"sk-other-{i:04d}-" + "x" * 20, "key_alias": f"other-{i}"}, {})
        code, output = self.run_reconciler(self.env())
        self.run_reconciler(self.env())
        self.assertEqual(code, 0, output)
        self.assertEqual(len(self.fake.keys), 233)
        # The second run found all three on later pages: no new writes.
        self.assertEqual([w[1] for w in self.fake.writes()], ["/key/generate"] * 3)
        self.assertGreaterEqual(sum(1 for r in self.fake.requests if r[1] == "/key/list"), 6)

    # ------------------------------------------------------------------ concurrency

    def test_two_reconcilers_at_once_converge_on_one_key_per_agent(self) -> None:
        # Both pass the alias check before either inserts: one insert fails on the token (500),
        # then on the alias (400); the loser re-reads and finds the key it wanted.
        self.fake.race_window = 0.2
        results = self.run_concurrently([self.env(), self.env()])
        self.assertEqual([r[0] for r in results], [0, 0], results)
        for name in KEYS:
            self.assertEqual(self.key(name)["token"], hash_token(KEYS[name]))
        self.assertEqual(len(self.fake.keys), 3)
        self.assertTrue(any("re-reading the keys" in r[1] for r in results), results)

    def test_two_reconcilers_rotating_at_once_leave_only_the_new_key(self) -> None:
        self.run_reconciler(self.env())
        rotated = dict(KEYS, supervisor=ROTATED)
        self.fake.race_window = 0.2
        results = self.run_concurrently([self.env(keys=rotated), self.env(keys=rotated)])
        self.assertEqual([r[0] for r in results], [0, 0], results)
        self.assertEqual(self.key("supervisor")["token"], hash_token(ROTATED))
        self.assertEqual(len(self.fake.keys), 3)

    # ------------------------------------------------------------------ proxy availability

    def test_waits_for_a_proxy_that_is_not_up_yet(self) -> None:
        port = free_port()
        late = FakeLiteLLM(MASTER, port=port)
        timer = threading.Timer(0.3, late.start)
        timer.start()
        self.addCleanup(late.stop)
        env = self.env(LITELLM_ADMIN_URL=late.url, RECONCILER_MAX_ATTEMPTS="40", RECONCILER_RETRY_SECONDS="0.05")
        code, output = self.run_reconciler(env)
        timer.join()
        self.assertEqual(code, 0, output)
        self.assertIn("GET /key/list: [Errno 111] Connection refused; retry 1/39", output)
        self.assertEqual(len(late.keys), 3)

    def test_gives_up_with_non_zero_exit_when_the_proxy_never_answers(self) -> None:
        env = self.env(LITELLM_ADMIN_URL=f"http://127.0.0.1:{free_port()}", RECONCILER_MAX_ATTEMPTS="3")
        started = time.monotonic()
        code, output = self.run_reconciler(env)
        self.assertEqual(code, 1)
        self.assertLess(time.monotonic() - started, 5)
        self.assertEqual(self.failed_lines(output), [
            f"reconcile_keys: FAILED: GET /key/list: the LiteLLM admin API at {env['LITELLM_ADMIN_URL']} gave no usable answer "
            "within 0 s (3 attempt(s); last: [Errno 111] Connection refused); no key was changed"
        ])

    def test_transient_admin_errors_are_retried(self) -> None:
        self.fake.faults["/key/generate"] = ["500", "500"]
        self.fake.faults["/key/list"] = ["500"]
        code, output = self.run_reconciler(self.env())
        self.assertEqual(code, 0, output)
        self.assertEqual(len(self.fake.keys), 3)

    def test_persistent_admin_error_ends_in_bounded_steps_and_non_zero_exit(self) -> None:
        self.fake.always["/key/generate"] = "500"
        code, output = self.run_reconciler(self.env())
        self.assertEqual(code, 1)
        # A failed write is not retried blindly: each step re-reads the keys, then tries once; at most
        # MAX_STEPS steps per agent.
        generates = sum(1 for r in self.fake.requests if r[1] == "/key/generate")
        self.assertEqual(generates, 3 * RK.MAX_STEPS)
        self.assertIn("done: 3 declared, 0 write(s), 3 failure(s)", output)
        self.assertIn("HTTP 500", output)
        self.assertEqual(len(self.failed_lines(output)), 3)

    def test_a_non_json_answer_is_one_failed_line_not_a_traceback(self) -> None:
        self.fake.list = lambda _b, _q: (200, "<html>proxy starting</html>")  # type: ignore[assignment]
        code, output = self.run_reconciler(self.env())
        self.assertEqual(code, 1)
        self.assertIn("FAILED: unexpected JSONDecodeError", output)

    def test_wrong_master_key_fails_without_retrying(self) -> None:
        code, output = self.run_reconciler(self.env(LITELLM_MASTER_KEY="sk-wrong-" + "w" * 30))
        self.assertEqual(code, 1)
        self.assertIn("HTTP 401", output)
        self.assertEqual(sum(1 for r in self.fake.requests if r[1] == "/key/list"), 1)
        self.assertNotIn("w" * 30, output)

    # ------------------------------------------------------------------ input

    def test_bad_input_is_exit_code_2_and_touches_nothing(self) -> None:
        cases = {
            "missing key": self.env(keys={"supervisor": KEYS["supervisor"], "chunking": KEYS["chunking"]}),
            "no sk- prefix": self.env(keys=dict(KEYS, chunking="pk-" + "b2" * 24)),
            "not json": self.env(AGENT_KEYS_DECLARED="{"),
            "duplicate": self.env(agents=[DEFAULT_AGENTS[0], DEFAULT_AGENTS[0]]),
            "no master key": self.env(LITELLM_MASTER_KEY=""),
        }
        for label, env in cases.items():
            with self.subTest(label):
                code, output = self.run_reconciler(env)
                self.assertEqual(code, 2, output)
                self.assertIn("bad input", output)
        self.assertEqual(self.fake.requests, [])

    def test_api_error_bodies_are_redacted(self) -> None:
        redact = RK.Redactor([KEYS["supervisor"]])
        self.assertEqual(redact(f"bad {KEYS['supervisor']} and sk-ab12****wxyz"), "bad [redacted] and sk-[redacted]")
        self.assertEqual(redact("risk-scoring: created"), "risk-scoring: created")

    def test_runs_as_the_container_command(self) -> None:
        result = subprocess.run(
            [sys.executable, str(RECONCILER_PATH)],
            env={**os.environ, **self.env()},
            capture_output=True,
            text=True,
            timeout=60,
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assert_no_secret(result.stdout + result.stderr)
        self.assertEqual(len(self.fake.keys), 3)


if __name__ == "__main__":
    unittest.main()
