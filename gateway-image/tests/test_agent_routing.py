"""gateway.costAttribution in the image: check_config.py adds the agents' deployments (LITELLM_AGENT_ROUTING) to the
checked config through LiteLLM's `include`, and what the proxy then loads routes each key's alias to its agent's own
application inference profile.

Run from the repository root:
    python3 -m unittest discover -s gateway-image/tests -t gateway-image
"""

import hashlib
import json
import os
from pathlib import Path

from .test_check_config import Harness

PROFILE = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/{}"
# What modules/gateway/cost-attribution.ts (agentRouting) writes, with resolved ARNs: LiteLLM's field names.
ROUTING = {
    "model_list": [
        {
            "model_name": "claude-primary@supervisor",
            "litellm_params": {
                "model": "bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                "model_id": PROFILE.format("sup1primary"),
                "aws_region_name": "us-east-1",
            },
            "tpm": 80000,
            "rpm": 50,
        },
        {
            "model_name": "claude-fallback@supervisor",
            "litellm_params": {
                "model": "bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0",
                "model_id": PROFILE.format("sup1fallback"),
                "aws_region_name": "us-east-1",
            },
            "tpm": 80000,
            "rpm": 100,
        },
    ],
    "router_settings": {
        "routing_strategy": "simple-shuffle",
        "fallbacks": [{"claude-primary": ["claude-fallback"]}, {"claude-primary@supervisor": ["claude-fallback@supervisor"]}],
    },
}
# A baked config in JSON (YAML's subset, so the test needs no YAML parser): what LiteLLM reads from config.yaml.
BAKED = {
    "model_list": [
        {"model_name": "claude-primary", "litellm_params": {"model": "bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0", "aws_region_name": "us-east-1"}},
        {"model_name": "claude-fallback", "litellm_params": {"model": "bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0", "aws_region_name": "us-east-1"}},
    ],
    "router_settings": {"routing_strategy": "simple-shuffle", "fallbacks": [{"claude-primary": ["claude-fallback"]}]},
    "general_settings": {"master_key": "os.environ/LITELLM_MASTER_KEY"},
    "litellm_settings": {"callbacks": ["callbacks.metrics_logger.metrics_logger"]},
}


def load_like_litellm(path):
    """ProxyConfig._get_config_from_file + _process_includes (litellm/proxy/proxy_server.py): load the file, then each
    `include` from the file's directory in order, extending a list the config already has and replacing any other key;
    `include` is removed. json.load stands in for yaml.safe_load (the files here are JSON, a subset of YAML)."""
    with open(path) as f:
        config = json.load(f)
    if "include" not in config:
        return config
    base = os.path.dirname(os.path.abspath(path))
    for include in config["include"]:
        with open(os.path.join(base, include)) as f:
            included = json.load(f)
        for key, value in included.items():
            if isinstance(value, list) and key in config:
                config[key].extend(value)
            else:
                config[key] = value
    del config["include"]
    return config


def update_model_if_key_alias_exists(data, aliases):
    """_update_model_if_key_alias_exists (litellm/proxy/litellm_pre_call_utils.py): the key's aliases rewrite the
    requested model, after user_api_key_auth has checked the requested (public) alias against the key's models."""
    if data.get("model") and isinstance(aliases, dict) and data["model"] in aliases:
        data["model"] = aliases[data["model"]]


class AgentRouting(Harness):
    def setUp(self):
        super().setUp()
        self.config.write_text(json.dumps(BAKED), encoding="utf-8")
        self.expected = hashlib.sha256(self.config.read_bytes()).hexdigest()

    def test_the_proxy_loads_the_checked_config_plus_the_agents_deployments_and_fallbacks(self):
        baked = self.config.read_bytes()
        result = self.run_entrypoint(env={"LITELLM_CONFIG_SHA256": self.expected, "LITELLM_AGENT_ROUTING": json.dumps(ROUTING)})
        self.assertEqual(result.returncode, 7, result.stderr)
        routed = Path(self.dir.name) / "config.agent-routing.json"
        self.assertEqual(self.forwarded(), ["--config", str(routed), "--port", "4000"])
        # The checked bytes are untouched; the routed config sits beside them (callbacks resolve from its directory).
        self.assertEqual(self.config.read_bytes(), baked)
        loaded = load_like_litellm(routed)
        self.assertEqual(
            [m["model_name"] for m in loaded["model_list"]],
            ["claude-primary", "claude-fallback", "claude-primary@supervisor", "claude-fallback@supervisor"],
        )
        self.assertEqual(loaded["router_settings"], ROUTING["router_settings"])
        self.assertEqual(loaded["general_settings"], BAKED["general_settings"])
        self.assertEqual(loaded["litellm_settings"], BAKED["litellm_settings"])
        self.assertNotIn("include", loaded)
        self.assertIn("agents' routing (LITELLM_AGENT_ROUTING) added", result.stderr)

    def test_a_key_alias_reaches_the_agents_own_profile(self):
        self.run_entrypoint(env={"LITELLM_CONFIG_SHA256": self.expected, "LITELLM_AGENT_ROUTING": json.dumps(ROUTING)})
        loaded = load_like_litellm(Path(self.dir.name) / "config.agent-routing.json")
        request = {"model": "claude-primary"}
        update_model_if_key_alias_exists(request, {"claude-primary": "claude-primary@supervisor"})
        deployment = next(m for m in loaded["model_list"] if m["model_name"] == request["model"])
        self.assertEqual(deployment["litellm_params"]["model_id"], PROFILE.format("sup1primary"))
        # The price is looked up by `model`, which stays a Bedrock model id LiteLLM's price map knows.
        self.assertEqual(deployment["litellm_params"]["model"], "bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0")

    def test_a_malformed_routing_stops_the_start_naming_the_field(self):
        broken = {"model_list": [{"model_name": "x@y", "litellm_params": {"model": "bedrock/m"}}], "router_settings": {}}
        result = self.run_entrypoint(env={"LITELLM_CONFIG_SHA256": self.expected, "LITELLM_AGENT_ROUTING": json.dumps(broken)})
        self.assertEqual(result.returncode, 1)
        self.assertIsNone(self.forwarded(), "the proxy must not start")
        self.assertIn("model_list[0].litellm_params: expected model and model_id strings", result.stderr)

    def test_routing_that_is_not_json_stops_the_start(self):
        result = self.run_entrypoint(env={"LITELLM_CONFIG_SHA256": self.expected, "LITELLM_AGENT_ROUTING": "{"})
        self.assertEqual(result.returncode, 1)
        self.assertIsNone(self.forwarded())
        self.assertIn("LITELLM_AGENT_ROUTING is not JSON", result.stderr)

    def test_a_drifted_config_is_refused_before_any_routing_is_written(self):
        result = self.run_entrypoint(env={"LITELLM_CONFIG_SHA256": "0" * 64, "LITELLM_AGENT_ROUTING": json.dumps(ROUTING)})
        self.assertEqual(result.returncode, 1)
        self.assertFalse((Path(self.dir.name) / "agent-routing.json").exists())

    def test_without_the_variable_the_arguments_are_unchanged(self):
        result = self.run_entrypoint(env={"LITELLM_CONFIG_SHA256": self.expected})
        self.assertEqual(result.returncode, 7, result.stderr)
        self.assertEqual(self.forwarded(), ["--config", str(self.config), "--port", "4000"])
        self.assertFalse((Path(self.dir.name) / "config.agent-routing.json").exists())
