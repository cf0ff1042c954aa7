"""The `guardrails:` entry of config/litellm_config.yaml, read the way LiteLLM's proxy reads it, with the task
environment the gateway stack sets when gateway.guardrail is on, and with none of it when off.

What is reproduced here, and where it is in LiteLLM (BerriAI/litellm):
  * ProxyConfig.get_config -> _check_for_os_environ_vars (litellm/proxy/proxy_server.py): every string value
    "os.environ/NAME" in nested mappings, and in mappings inside lists (the `guardrails:` items), is replaced by
    get_secret(value);
  * get_secret (litellm/secret_managers/main.py): os.environ.get(NAME), None when unset, and exactly "true"/"false"
    (str_to_bool, case-insensitive) turned into booleans; any other string ("3") stays a string;
  * LitellmParams (litellm/types/guardrails.py): `guardrail` and `mode` are the required fields; the Bedrock fields
    are BedrockGuardrailConfigModel's guardrailIdentifier, guardrailVersion, aws_region_name, ...; default_on,
    mask_request_content and mask_response_content are BaseLitellmParams fields;
  * initialize_bedrock (litellm/proxy/guardrails/guardrail_initializers.py): BedrockGuardrail(guardrail_name=...,
    event_hook=litellm_params.mode, guardrailIdentifier=..., guardrailVersion=..., default_on=..., ...);
  * BedrockGuardrail (litellm/proxy/guardrails/guardrail_hooks/bedrock_guardrails.py): supported event hooks
    pre_call, post_call, during_call (+ MCP ones); the ApplyGuardrail URL
    https://bedrock-runtime.{region}.amazonaws.com/guardrail/{guardrailIdentifier}/version/{guardrailVersion}/apply;
  * CustomGuardrail.should_run_guardrail (litellm/integrations/custom_guardrail.py): with default_on True it runs on
    every request whose event is in its mode; otherwise only when the request names it (`guardrails` in the body or
    in metadata) and the event is in its mode.

The YAML is parsed with PyYAML's safe_load, as LiteLLM does, when PyYAML is importable; otherwise with the `yaml`
package in the project's node_modules (the parser the infrastructure's model catalogue uses). Python itself stays
standard library only.
"""
import copy
import json
import os
import shutil
import subprocess
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG = os.path.join(HERE, "..", "config", "litellm_config.yaml")
PROJECT = os.path.abspath(os.path.join(HERE, "..", ".."))

# Env names the gateway stack sets (modules/gateway/guardrail.ts GUARDRAIL_ENV); AWS_REGION_NAME is always set.
GUARDRAIL_ENV = ["BEDROCK_GUARDRAIL_ID", "BEDROCK_GUARDRAIL_VERSION", "BEDROCK_GUARDRAIL_DEFAULT_ON", "BEDROCK_GUARDRAIL_MASK_CONTENT"]

# litellm/types/guardrails.py: LitellmParams' own fields and the ones it inherits that this entry may use.
LITELLM_PARAMS_FIELDS = {
    "guardrail", "mode",  # LitellmParams (required)
    "guardrailIdentifier", "guardrailVersion", "disable_exception_on_block", "aws_region_name", "aws_access_key_id",
    "aws_secret_access_key", "aws_session_token", "aws_session_name", "aws_profile_name", "aws_role_name",
    "aws_web_identity_token", "aws_sts_endpoint", "aws_bedrock_runtime_endpoint",  # BedrockGuardrailConfigModel
    "default_on", "mask_request_content", "mask_response_content", "experimental_use_latest_role_message_only",  # BaseLitellmParams
}
BEDROCK_SUPPORTED_EVENT_HOOKS = {"pre_call", "post_call", "during_call", "pre_mcp_call", "during_mcp_call"}


def load_yaml(path):
    try:
        import yaml  # type: ignore[import-not-found]

        with open(path, encoding="utf-8") as f:
            return yaml.safe_load(f)
    except ImportError:
        pass
    node = shutil.which("node")
    if node is None:
        raise AssertionError("neither PyYAML nor node is available to parse the LiteLLM config")
    script = "const fs=require('fs');process.stdout.write(JSON.stringify(require('yaml').parse(fs.readFileSync(process.argv[1],'utf8'))))"
    out = subprocess.run([node, "-e", script, path], cwd=PROJECT, capture_output=True, text=True, timeout=60, check=True)
    return json.loads(out.stdout)


def str_to_bool(value):
    lowered = value.strip().lower()
    return True if lowered == "true" else False if lowered == "false" else None


def get_secret(reference, environ):
    value = environ.get(reference[len("os.environ/"):])
    as_bool = str_to_bool(value) if value is not None else None
    return as_bool if isinstance(as_bool, bool) else value


def check_for_os_environ_vars(config, environ, depth=0, max_depth=10):
    if depth > max_depth:
        return config
    for key, value in config.items():
        if isinstance(value, dict):
            config[key] = check_for_os_environ_vars(value, environ, depth + 1, max_depth)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    check_for_os_environ_vars(item, environ, depth + 1, max_depth)
        elif isinstance(value, str) and value.startswith("os.environ/"):
            config[key] = get_secret(value, environ)
    return config


class Guardrail:
    """The state initialize_bedrock gives a BedrockGuardrail, and CustomGuardrail's decision to run."""

    def __init__(self, name, params):
        self.guardrail_name = name
        self.event_hook = params["mode"]
        self.default_on = params.get("default_on")
        self.guardrail_identifier = params.get("guardrailIdentifier")
        self.guardrail_version = params.get("guardrailVersion")
        self.region = params.get("aws_region_name")
        self.mask_request_content = params.get("mask_request_content")

    def _event_hook_is_event_type(self, event):
        if self.event_hook is None:
            return True
        if isinstance(self.event_hook, list):
            return event in self.event_hook
        return self.event_hook == event

    def should_run(self, event, request=None):
        request = request or {}
        requested = request["guardrails"] if "guardrails" in request else (request.get("metadata") or {}).get("guardrails") or []
        if self.default_on is True:
            return self._event_hook_is_event_type(event)
        if self.event_hook and self.guardrail_name not in requested:
            return False
        return self._event_hook_is_event_type(event)

    def apply_url(self):
        return f"https://bedrock-runtime.{self.region}.amazonaws.com/guardrail/{self.guardrail_identifier}/version/{self.guardrail_version}/apply"


def proxy_guardrails(environ):
    config = check_for_os_environ_vars(copy.deepcopy(load_yaml(CONFIG)), environ)
    return [Guardrail(g["guardrail_name"], g["litellm_params"]) for g in config.get("guardrails") or []]


ON = {
    "AWS_REGION_NAME": "us-east-1",
    "BEDROCK_GUARDRAIL_ID": "abc123def456",
    "BEDROCK_GUARDRAIL_VERSION": "3",
    "BEDROCK_GUARDRAIL_DEFAULT_ON": "true",
    "BEDROCK_GUARDRAIL_MASK_CONTENT": "false",
}


class GuardrailEntryShapeTest(unittest.TestCase):
    def setUp(self):
        self.entries = load_yaml(CONFIG).get("guardrails")

    def test_one_bedrock_entry_with_only_litellm_field_names(self):
        self.assertEqual([e["guardrail_name"] for e in self.entries], ["bedrock-guardrail"])
        params = self.entries[0]["litellm_params"]
        self.assertEqual(params["guardrail"], "bedrock")
        self.assertEqual(set(params) - LITELLM_PARAMS_FIELDS, set(), "keys LitellmParams does not define")

    def test_mode_is_a_list_of_hooks_the_bedrock_integration_supports(self):
        mode = self.entries[0]["litellm_params"]["mode"]
        self.assertEqual(mode, ["pre_call", "post_call"])
        self.assertLessEqual(set(mode), BEDROCK_SUPPORTED_EVENT_HOOKS)

    def test_everything_deployment_specific_comes_from_the_environment(self):
        params = self.entries[0]["litellm_params"]
        for key in ("guardrailIdentifier", "guardrailVersion", "default_on", "mask_request_content", "mask_response_content", "aws_region_name"):
            self.assertTrue(str(params[key]).startswith("os.environ/"), key)
        referenced = {v[len("os.environ/"):] for v in params.values() if isinstance(v, str) and v.startswith("os.environ/")}
        self.assertEqual(referenced, set(GUARDRAIL_ENV) | {"AWS_REGION_NAME"})


class ResolvedParamsTypeTest(unittest.TestCase):
    """LiteLLM validates the resolved litellm_params with the pydantic model LitellmParams (litellm/types/guardrails.py):
    the identifiers and region are Optional[str], default_on and mask_*_content Optional[bool] (BaseLitellmParams),
    mode Union[str, List[str], Mode]. Each environment the task can have (off, all, on-request, masking) must resolve
    to those types, so the entry is accepted as written and no value depends on pydantic's coercion."""

    TYPES = {
        "guardrailIdentifier": (str, type(None)),
        "guardrailVersion": (str, type(None)),
        "aws_region_name": (str, type(None)),
        "default_on": (bool, type(None)),
        "mask_request_content": (bool, type(None)),
        "mask_response_content": (bool, type(None)),
    }

    def resolved(self, environ):
        config = check_for_os_environ_vars(copy.deepcopy(load_yaml(CONFIG)), environ)
        (entry,) = config["guardrails"]
        return entry["litellm_params"]

    def test_every_task_environment_resolves_to_the_litellm_params_types(self):
        environments = {
            "off": {"AWS_REGION_NAME": "us-east-1"},
            "all": ON,
            "on-request": {**ON, "BEDROCK_GUARDRAIL_DEFAULT_ON": "false"},
            "masking": {**ON, "BEDROCK_GUARDRAIL_MASK_CONTENT": "true"},
        }
        for label, environ in environments.items():
            params = self.resolved(environ)
            for key, allowed in self.TYPES.items():
                self.assertIsInstance(params[key], allowed, f"{label}: {key}={params[key]!r}")
            self.assertIsInstance(params["mode"], list, label)
            self.assertTrue(all(isinstance(m, str) for m in params["mode"]), label)

    def test_on_every_guardrail_value_is_set_and_the_booleans_are_booleans(self):
        params = self.resolved(ON)
        for key in ("guardrailIdentifier", "guardrailVersion", "aws_region_name"):
            self.assertIsInstance(params[key], str, key)
        for key in ("default_on", "mask_request_content", "mask_response_content"):
            self.assertIsInstance(params[key], bool, key)


class GuardrailOffTest(unittest.TestCase):
    """gateway.guardrail.enabled false: the task sets none of the guardrail variables."""

    def setUp(self):
        (self.guardrail,) = proxy_guardrails({"AWS_REGION_NAME": "us-east-1"})

    def test_unset_references_resolve_to_none(self):
        self.assertIsNone(self.guardrail.guardrail_identifier)
        self.assertIsNone(self.guardrail.guardrail_version)
        self.assertIsNone(self.guardrail.default_on)
        self.assertIsNone(self.guardrail.mask_request_content)

    def test_it_never_runs_by_default(self):
        for event in ("pre_call", "post_call", "during_call"):
            self.assertFalse(self.guardrail.should_run(event), event)


class GuardrailOnTest(unittest.TestCase):
    def test_applies_to_all_runs_before_and_after_every_call_not_during(self):
        (g,) = proxy_guardrails(ON)
        self.assertIs(g.default_on, True)
        self.assertTrue(g.should_run("pre_call"))
        self.assertTrue(g.should_run("post_call"))
        self.assertFalse(g.should_run("during_call"))

    def test_the_pinned_version_stays_a_string_and_the_url_names_it(self):
        (g,) = proxy_guardrails(ON)
        self.assertEqual(g.guardrail_version, "3")
        self.assertIs(g.mask_request_content, False)
        self.assertEqual(g.apply_url(), "https://bedrock-runtime.us-east-1.amazonaws.com/guardrail/abc123def456/version/3/apply")

    def test_on_request_runs_only_for_requests_that_name_it(self):
        (g,) = proxy_guardrails({**ON, "BEDROCK_GUARDRAIL_DEFAULT_ON": "false"})
        self.assertIs(g.default_on, False)
        self.assertFalse(g.should_run("pre_call"))
        self.assertTrue(g.should_run("pre_call", {"guardrails": ["bedrock-guardrail"]}))
        self.assertTrue(g.should_run("post_call", {"metadata": {"guardrails": ["bedrock-guardrail"]}}))
        self.assertFalse(g.should_run("pre_call", {"guardrails": ["another"]}))

    def test_masking_switch_is_a_boolean_for_litellm(self):
        (g,) = proxy_guardrails({**ON, "BEDROCK_GUARDRAIL_MASK_CONTENT": "true"})
        self.assertIs(g.mask_request_content, True)


if __name__ == "__main__":
    unittest.main()
