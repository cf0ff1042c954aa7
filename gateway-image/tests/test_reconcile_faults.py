"""The reconciler under faults: a failure at each step of a rotation (once, and for good), two
reconcilers at once with and without faults, a proxy that never answers, aliases that only look alike.

Every change the fake applies is checked as it happens (FakeLiteLLM.observers): the agent never has
no working key once it had one, the spend it had is always on a key that works, and no alias is held
by two keys. Run from the repository root:
    python3 -m unittest discover -s gateway-image/tests -t gateway-image
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from .fake_litellm_admin import FAULTS, FakeLiteLLM, hash_token
from .reconciler_support import DEFAULT_AGENTS, KEYS, MASTER, RECONCILER_PATH, RK, ROTATED, ReconcilerCase, agent

OLD = KEYS["supervisor"]
SPEND = 42.0
# Spend the agent records on its old key after the new key was created (it still uses the old value).
LATE_SPEND = 5.0
# The writes of a rotation, in order: (path, how many earlier requests to that path pass untouched).
STEPS = {
    "list": ("/key/list", 0),
    "create": ("/key/generate", 0),
    "top-up": ("/key/update", 0),
    "delete old": ("/key/delete", 0),
    "rename": ("/key/update", 1),
}


class RotationUnderFaultsTest(ReconcilerCase):
    def setUp(self) -> None:
        super().setUp()
        self.deploy()

    def deploy(self) -> None:
        """The agents' keys as a first deploy leaves them, the supervisor's with spend on it; then the
        invariants are watched on every change."""
        code, output = self.run_reconciler(self.env())
        self.assertEqual(code, 0, output)
        self.fake.add_spend(OLD, SPEND)
        self.violations: list[str] = []
        self.accrued = SPEND
        self.late_spend_added = False
        self.fake.observers.append(self.watch)
        self.addCleanup(self.fake.release)

    def fresh_fake(self) -> None:
        self.fake = FakeLiteLLM(MASTER).start()
        self.addCleanup(self.fake.stop)
        self.deploy()

    def watch(self, keys: dict[str, dict]) -> None:
        old, new = keys.get(hash_token(OLD)), keys.get(hash_token(ROTATED))
        if new is not None and old is not None and not self.late_spend_added:
            # The agent keeps calling with the old value after the new key exists: this spend must reach the new key.
            self.late_spend_added = True
            old["spend"] += LATE_SPEND
            self.accrued += LATE_SPEND
        if old is None and new is None:
            self.violations.append("the supervisor has no key")
            return
        held = max(k["spend"] for k in (old, new) if k is not None)
        if held + 1e-9 < self.accrued:
            self.violations.append(f"spend {held} on the supervisor's keys, {self.accrued} accrued")
        aliases = [k["key_alias"] for k in keys.values()]
        for alias in set(aliases):
            if aliases.count(alias) > 1:
                self.violations.append(f"{aliases.count(alias)} keys with alias {alias}")

    def rotate_env(self, **overrides: str) -> dict:
        return self.env(keys=dict(KEYS, supervisor=ROTATED), **overrides)

    def assert_rotated(self) -> None:
        self.assertEqual(self.violations, [])
        supervisor = self.key("supervisor")
        self.assertEqual(supervisor["token"], hash_token(ROTATED))
        self.assertAlmostEqual(supervisor["spend"], self.accrued)
        self.assertTrue(self.fake.authenticates(ROTATED), "the new value does not work")
        self.assertFalse(self.fake.authenticates(OLD), "the old value still works")
        self.assertEqual(sorted(k["key_alias"] for k in self.fake.keys.values()), ["chunking", "extraction", "supervisor"])
        for name in ("chunking", "extraction"):
            self.assertTrue(self.fake.authenticates(KEYS[name]))

    def assert_working_key_holds_the_spend(self) -> None:
        self.assertEqual(self.violations, [])
        working = [v for v in (OLD, ROTATED) if self.fake.authenticates(v)]
        self.assertTrue(working, "the supervisor has no working key")
        self.assertGreaterEqual(max(self.fake.spend_of(v) for v in working), self.accrued - 1e-9)
        self.assertEqual(len(self.fake.by_alias("supervisor")), 1 if self.fake.by_alias("supervisor") else 0)

    # ------------------------------------------------------------------ the sequence

    def test_a_rotation_without_faults_creates_then_tops_up_then_retires_then_renames(self) -> None:
        code, output = self.run_reconciler(self.rotate_env())
        self.assertEqual(code, 0, output)
        self.assert_rotated()
        writes = [w[1] for w in self.fake.writes()][3:]
        self.assertEqual(writes, ["/key/generate", "/key/update", "/key/delete", "/key/update"])
        new = hash_token(ROTATED)[:12]
        self.assertIn(f"supervisor.next.{new}: carried 5 USD from token {hash_token(OLD)[:12]}", output)
        self.assertEqual(self.key("supervisor")["metadata"]["spend_carried"], {hash_token(OLD)[:12]: SPEND + LATE_SPEND})

    # ------------------------------------------------------------------ one fault

    def test_a_fault_once_at_each_step_of_a_rotation_is_absorbed(self) -> None:
        first = True
        for step, (path, before) in STEPS.items():
            for fault in FAULTS:
                with self.subTest(step=step, fault=fault):
                    if not first:
                        self.fresh_fake()
                    first = False
                    self.fake.faults[path] = [""] * before + [fault]
                    code, output = self.run_reconciler(self.rotate_env(RECONCILER_REQUEST_TIMEOUT_SECONDS="0.5"))
                    self.assertEqual(code, 0, output)
                    self.assert_rotated()
                    self.assertIn(fault, [f for (_, p, f) in self.fake.log if p == path])

    # ------------------------------------------------------------------ a fault for good

    def test_a_fault_for_good_at_each_step_leaves_a_working_key_with_the_spend_then_the_next_run_finishes(self) -> None:
        first = True
        for step, (path, before) in STEPS.items():
            for fault in ("500", "hang", "reset-before", "reset-after"):
                with self.subTest(step=step, fault=fault):
                    if not first:
                        self.fresh_fake()
                    first = False
                    self.fake.faults[path] = [""] * before + [fault] * 1000
                    started = time.monotonic()
                    code, output = self.run_reconciler(self.rotate_env(RECONCILER_REQUEST_TIMEOUT_SECONDS="0.2", RECONCILER_MAX_WAIT_SECONDS="2"))
                    self.assertLess(time.monotonic() - started, 6)
                    if fault == "reset-after" and path != "/key/list":
                        # Every write is applied, only its answer is lost: each re-read shows the step done.
                        self.assertEqual(code, 0, output)
                        self.assert_rotated()
                        continue
                    self.assertEqual(code, 1, output)
                    self.assertTrue(any("supervisor" in line or "GET /key/list" in line for line in self.failed_lines(output)), output)
                    self.assert_working_key_holds_the_spend()
                    # The next task start, with the proxy healthy again.
                    self.fake.faults.clear()
                    self.fake.release()
                    code, output = self.run_reconciler(self.rotate_env())
                    self.assertEqual(code, 0, output)
                    self.assert_rotated()

    def test_a_failed_rotation_never_deletes_the_old_key_before_the_new_one_exists(self) -> None:
        self.fake.always["/key/generate"] = "500"
        code, output = self.run_reconciler(self.rotate_env())
        self.assertEqual(code, 1, output)
        self.assertTrue(self.fake.authenticates(OLD))
        self.assertEqual(self.fake.spend_of(OLD), SPEND)
        self.assertEqual([w[1] for w in self.fake.writes()][3:], ["/key/generate"] * RK.MAX_STEPS)
        self.assertEqual(self.key("supervisor")["token"], hash_token(OLD))

    # ------------------------------------------------------------------ several reconcilers

    def test_two_reconcilers_rotating_at_once_carry_the_spend_once(self) -> None:
        self.fake.race_window = 0.2
        results = self.run_concurrently([self.rotate_env(), self.rotate_env()])
        self.assertEqual([r[0] for r in results], [0, 0], results)
        self.assert_rotated()

    def test_two_reconcilers_rotating_at_once_with_faults_converge(self) -> None:
        combinations = {
            "create answered 500 after it was applied": {"/key/generate": ["500-after"]},
            "create reset before it was applied": {"/key/generate": ["reset-before"]},
            "top-up lost": {"/key/update": ["reset-after", "500"]},
            "delete reset after it was applied": {"/key/delete": ["reset-after"]},
            "rename hangs": {"/key/update": ["", "hang-after"]},
            "a 500 everywhere once": {"/key/generate": ["500"], "/key/update": ["500"], "/key/delete": ["500"], "/key/list": ["", "500"]},
        }
        first = True
        for label, faults in combinations.items():
            with self.subTest(label):
                if not first:
                    self.fresh_fake()
                first = False
                self.fake.race_window = 0.1
                self.fake.faults.update({p: list(f) for p, f in faults.items()})
                env = self.rotate_env(RECONCILER_REQUEST_TIMEOUT_SECONDS="0.5")
                results = self.run_concurrently([env, env])
                self.assertEqual([r[0] for r in results], [0, 0], results)
                self.assert_rotated()

    def test_three_reconcilers_finish_a_rotation_another_left_half_done(self) -> None:
        self.fake.always["/key/delete"] = "500"
        code, _ = self.run_reconciler(self.rotate_env())
        self.assertEqual(code, 1)
        # Both keys exist and work; the new one waits under its pending alias with the spend.
        self.assertTrue(self.fake.authenticates(OLD) and self.fake.authenticates(ROTATED))
        self.assertEqual(len(self.fake.by_alias(f"supervisor.next.{hash_token(ROTATED)[:12]}")), 1)
        self.fake.always.clear()
        results = self.run_concurrently([self.rotate_env() for _ in range(3)])
        self.assertEqual([r[0] for r in results], [0, 0, 0], results)
        self.assert_rotated()

    # ------------------------------------------------------------------ exact aliases

    def test_keys_whose_alias_only_resembles_a_declared_one_are_never_touched(self) -> None:
        lookalikes = {
            "supervisor-team": "sk-" + "e5" * 24,
            "Supervisor": "sk-" + "f6" * 24,
            "supervisor ": "sk-" + "a7" * 24,
            f"supervisor.next.{hash_token(ROTATED)[:12]}x": "sk-" + "b8" * 24,
        }
        for alias, value in lookalikes.items():
            self.fake.generate({"key": value, "key_alias": alias, "models": []}, {})
        for mode in ("substring", "ignored", "exact"):
            with self.subTest(alias_filter=mode):
                self.fake.alias_filter = mode
                code, output = self.run_reconciler(self.rotate_env())
                self.assertEqual(code, 0, output)
                for alias, value in lookalikes.items():
                    self.assertTrue(self.fake.authenticates(value), alias)
                    self.assertEqual(self.key(alias)["token"], hash_token(value))
                self.assertEqual(self.key("supervisor")["token"], hash_token(ROTATED))

    def test_a_key_listed_without_a_token_is_never_deleted(self) -> None:
        self.fake.generate({"key": "sk-" + "c9" * 24, "key_alias": "retired-agent", "metadata": {"managed_by": "llm-gateway-infra"}}, {})
        listing = self.fake.list

        def without_token(body: dict, query: dict):
            status, payload = listing(body, query)
            for key in payload["keys"]:
                if key.get("key_alias") == "retired-agent":
                    key.pop("token")
            return status, payload

        self.fake.list = without_token  # type: ignore[assignment]
        code, output = self.run_reconciler(self.env())
        self.assertEqual(code, 0, output)
        self.assertIn("retired-agent: not declared, but LiteLLM returned no token for it: not deleted", output)
        self.assertEqual(len(self.fake.by_alias("retired-agent")), 1)
        self.assertNotIn("/key/delete", [w[1] for w in self.fake.writes()][3:])


class BoundedWaitTest(ReconcilerCase):
    def test_a_proxy_that_accepts_connections_but_never_answers_is_given_up_within_the_total_wait(self) -> None:
        self.addCleanup(self.fake.release)
        self.fake.always["/key/list"] = "hang"
        env = self.env(RECONCILER_MAX_ATTEMPTS="1000", RECONCILER_REQUEST_TIMEOUT_SECONDS="0.3", RECONCILER_MAX_WAIT_SECONDS="1.5")
        started = time.monotonic()
        code, output = self.run_reconciler(env)
        elapsed = time.monotonic() - started
        self.assertEqual(code, 1)
        self.assertGreaterEqual(elapsed, 1.4)
        # The deadline, not 1000 attempts x 0.3 s; the margin is for a loaded machine.
        self.assertLess(elapsed, 3)
        failed = self.failed_lines(output)
        self.assertEqual(len(failed), 1, output)
        self.assertRegex(failed[0], r"FAILED: GET /key/list: the LiteLLM admin API at http://127\.0\.0\.1:\d+ gave no usable answer within \d s \(\d+ attempt\(s\); last: timed out\); no key was changed")
        self.assertEqual(self.fake.writes(), [])

    def test_each_request_is_bounded_by_the_request_timeout(self) -> None:
        self.addCleanup(self.fake.release)
        self.fake.faults["/key/generate"] = ["hang", "hang-after"]
        started = time.monotonic()
        code, output = self.run_reconciler(self.env(RECONCILER_REQUEST_TIMEOUT_SECONDS="0.4"))
        self.assertEqual(code, 0, output)
        # Two hanging creates: about 2 x 0.4 s, then the retries; never the old fixed 30 s.
        self.assertLess(time.monotonic() - started, 5)
        self.assertEqual(len(self.fake.keys), 3)

    def test_the_container_command_honours_the_wait_variables(self) -> None:
        self.addCleanup(self.fake.release)
        self.fake.always["/key/list"] = "hang"
        env = {**os.environ, **self.env(RECONCILER_MAX_ATTEMPTS="30", RECONCILER_RETRY_SECONDS="5", RECONCILER_REQUEST_TIMEOUT_SECONDS="0.5", RECONCILER_MAX_WAIT_SECONDS="1")}
        started = time.monotonic()
        result = subprocess.run([sys.executable, str(RECONCILER_PATH)], env=env, capture_output=True, text=True, timeout=30)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertLess(time.monotonic() - started, 4)
        self.assertEqual(result.stderr, "")
        failed = [json.loads(l) for l in result.stdout.splitlines() if json.loads(l)["key_reconciler"] == "failed"]
        self.assertEqual(len(failed), 1, result.stdout)
        self.assertIn("gave no usable answer within 1 s", failed[0]["message"])


if __name__ == "__main__":
    import unittest

    unittest.main()
