"""Bad input to the reconciler: every problem of the declaration and of its settings is found before the
first request, one line each naming the agent and the field, and the exit status is 2 with nothing sent.
Run from the repository root:
    python3 -m unittest discover -s gateway-image/tests -t gateway-image
"""

from __future__ import annotations

import json

from .reconciler_support import DEFAULT_AGENTS, KEYS, MASTER, ReconcilerCase, agent

SUPERVISOR, CHUNKING, EXTRACTION = DEFAULT_AGENTS


def replace(index: int, **fields: object) -> list[dict]:
    agents = [dict(a) for a in DEFAULT_AGENTS]
    for field, value in fields.items():
        if value is DROP:
            agents[index].pop(field, None)
        else:
            agents[index][field] = value
    return agents


DROP = object()

# label -> (agents, key values or None, the one line expected, naming agent and field)
CASES: dict[str, tuple[list[dict], object, str]] = {
    "misspelt limit": (replace(1, rpm_limt=60), None, "agents[1] (chunking).rpm_limt: unknown field"),
    "budget as a string": (replace(0, max_budget="100"), None, 'agents[0] (supervisor).max_budget: got "100"; allowed: null or a number of USD'),
    "negative budget": (replace(0, max_budget=-5), None, "agents[0] (supervisor).max_budget: got -5; allowed"),
    "zero budget": (replace(0, max_budget=0), None, "agents[0] (supervisor).max_budget: got 0; allowed"),
    "budget too large": (replace(0, max_budget=2e6), None, "agents[0] (supervisor).max_budget: got 2000000.0; allowed"),
    "duration LiteLLM would read as 30 s": (replace(0, budget_duration="30days"), None, 'agents[0] (supervisor).budget_duration: got "30days"; allowed'),
    "duration without a budget": (replace(2, budget_duration="30d"), None, 'agents[2] (extraction).budget_duration: got "30d"; allowed: only together with max_budget'),
    "rpm zero": (replace(1, rpm_limit=0), None, "agents[1] (chunking).rpm_limit: got 0; allowed: null or an integer >= 1"),
    "tpm fractional": (replace(1, tpm_limit=1.5), None, "agents[1] (chunking).tpm_limit: got 1.5; allowed: null or an integer >= 1"),
    "rpm boolean": (replace(1, rpm_limit=True), None, "agents[1] (chunking).rpm_limit: got true; allowed"),
    "key version zero": (replace(0, key_version=0), None, "agents[0] (supervisor).key_version: got 0; allowed: an integer >= 1"),
    "no models": (replace(2, models=[]), None, "agents[2] (extraction).models: got []; allowed"),
    "model twice": (replace(2, models=["claude-fast", "claude-fast"]), None, "agents[2] (extraction).models: got"),
    "bad name": (replace(2, name="Extraction_1"), {**KEYS}, 'agents[2] (Extraction_1).name: got "Extraction_1"; allowed'),
    "duplicate name": ([SUPERVISOR, CHUNKING, dict(EXTRACTION, name="chunking")], None, 'agents[2] (chunking).name: got "chunking"; allowed: a name not already used (agents[1])'),
    "duplicate key variable": (replace(2, key_env="AGENT_KEY_CHUNKING"), None, 'agents[2] (extraction).key_env: got "AGENT_KEY_CHUNKING"; allowed: a variable no other agent uses'),
    "key variable unset": (replace(2, key_env="AGENT_KEY_OTHER"), None, "agents[2] (extraction).key_env: the variable AGENT_KEY_OTHER is not set"),
    "no sk- prefix": (DEFAULT_AGENTS, dict(KEYS, chunking="pk-" + "b2" * 24), "agents[1] (chunking): the key in AGENT_KEY_CHUNKING is malformed (51 characters, does not start with sk-)"),
    "trailing newline": (DEFAULT_AGENTS, dict(KEYS, chunking="sk-" + "b2" * 24 + "\n"), "agents[1] (chunking): the key in AGENT_KEY_CHUNKING is malformed (52 characters, starts with sk-)"),
    "too short": (DEFAULT_AGENTS, dict(KEYS, chunking="sk-1234"), "agents[1] (chunking): the key in AGENT_KEY_CHUNKING is malformed (7 characters"),
    "shared value": (DEFAULT_AGENTS, dict(KEYS, extraction=KEYS["chunking"]), "agents[2] (extraction): the key in AGENT_KEY_EXTRACTION is the same value as chunking's"),
    "master key as agent key": (DEFAULT_AGENTS, dict(KEYS, extraction=MASTER), "agents[2] (extraction): the key in AGENT_KEY_EXTRACTION is the master key"),
    "agent not an object": ([SUPERVISOR, CHUNKING, "extraction"], None, "agents[2]: got str; expected an object"),
}


class InputValidationTest(ReconcilerCase):
    def assert_refused(self, env: dict, expected: list[str]) -> str:
        code, output = self.run_reconciler(env)
        self.assertEqual(code, 2, output)
        failed = self.failed_lines(output)
        self.assertEqual(len(failed), len(expected), output)
        for line, fragment in zip(failed, expected):
            self.assertTrue(line.startswith("reconcile_keys: FAILED: bad input: "), line)
            self.assertIn(fragment, line)
        self.assertIn(f"nothing was sent to LiteLLM: {len(expected)} problem(s) in the input", output)
        self.assertEqual(self.fake.requests, [])
        return output

    def test_each_kind_of_bad_declaration_is_one_line_naming_agent_and_field_and_nothing_is_sent(self) -> None:
        for label, (agents, keys, expected) in CASES.items():
            with self.subTest(label):
                self.assert_refused(self.env(agents, keys=keys), [expected])

    def test_every_problem_is_reported_at_once(self) -> None:
        agents = [dict(SUPERVISOR, max_budget="lots", surprise=1), dict(CHUNKING, rpm_limit=-1), EXTRACTION]
        self.assert_refused(
            self.env(agents),
            [
                "agents[0] (supervisor).surprise: unknown field",
                "agents[0] (supervisor).max_budget",
                "agents[1] (chunking).rpm_limit",
            ],
        )

    def test_an_unknown_top_level_field_is_refused(self) -> None:
        env = self.env(AGENT_KEYS_DECLARED=json.dumps({"managed_by": "llm-gateway-infra", "agents": DEFAULT_AGENTS, "team": "x"}))
        self.assert_refused(env, ["AGENT_KEYS_DECLARED.team: unknown field"])

    def test_malformed_settings_and_environment_are_refused(self) -> None:
        cases = {
            "not json": (self.env(AGENT_KEYS_DECLARED="{"), ["AGENT_KEYS_DECLARED is not JSON"]),
            "no agents list": (self.env(AGENT_KEYS_DECLARED="{}"), ["AGENT_KEYS_DECLARED: expected"]),
            "no master key": (self.env(LITELLM_MASTER_KEY=""), ["LITELLM_MASTER_KEY is not set"]),
            "wait not a number": (self.env(RECONCILER_MAX_WAIT_SECONDS="soon"), ["RECONCILER_MAX_WAIT_SECONDS: got 'soon'"]),
            "negative timeout": (self.env(RECONCILER_REQUEST_TIMEOUT_SECONDS="-1"), ["RECONCILER_REQUEST_TIMEOUT_SECONDS: got '-1'"]),
            "zero attempts": (self.env(RECONCILER_MAX_ATTEMPTS="0"), ["RECONCILER_MAX_ATTEMPTS: got '0'; allowed: an integer >= 1"]),
            "missing key": (self.env(keys={"supervisor": KEYS["supervisor"], "chunking": KEYS["chunking"]}), ["agents[2] (extraction).key_env: the variable AGENT_KEY_EXTRACTION is not set"]),
        }
        for label, (env, expected) in cases.items():
            with self.subTest(label):
                self.assert_refused(env, expected)

    def test_the_declaration_the_synth_writes_is_accepted(self) -> None:
        # The shape of modules/agent-keys/agent-keys.ts createAgentKeys().declaredJson, nulls included.
        declared = {
            "managed_by": "llm-gateway-infra",
            "agents": [
                {"name": "supervisor", "models": ["claude-fallback", "claude-primary"], "max_budget": 100, "budget_duration": "30d", "rpm_limit": None, "tpm_limit": None, "key_version": 1, "key_env": "AGENT_KEY_SUPERVISOR"},
                {"name": "chunking", "models": ["claude-fast"], "max_budget": None, "budget_duration": None, "rpm_limit": 60, "tpm_limit": 100000, "key_version": 2, "key_env": "AGENT_KEY_CHUNKING"},
                {"name": "extraction", "models": ["claude-fallback", "claude-primary"], "max_budget": None, "budget_duration": None, "rpm_limit": None, "tpm_limit": None, "key_version": 1, "key_env": "AGENT_KEY_EXTRACTION"},
            ],
        }
        code, output = self.run_reconciler(self.env(AGENT_KEYS_DECLARED=json.dumps(declared)))
        self.assertEqual(code, 0, output)
        self.assertEqual(len(self.fake.keys), 3)

    def test_a_value_is_never_printed_in_an_error(self) -> None:
        output = self.assert_refused(self.env(keys=dict(KEYS, chunking="pk-" + "b2" * 24)), ["agents[1] (chunking)"])
        self.assertNotIn("b2b2b2", output)


if __name__ == "__main__":
    import unittest

    unittest.main()
