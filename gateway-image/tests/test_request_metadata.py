"""Unit tests for callbacks/request_metadata.py (standard library only).

Run from the repository root:
    python3 -m unittest discover -s gateway-image/tests -t gateway-image
"""

from __future__ import annotations

import asyncio
import importlib.util
import pathlib
import types
import unittest

PATH = pathlib.Path(__file__).resolve().parent.parent / "callbacks" / "request_metadata.py"
_spec = importlib.util.spec_from_file_location("callbacks.request_metadata", PATH)
assert _spec is not None and _spec.loader is not None
module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(module)


def key(alias):  # the proxy's UserAPIKeyAuth carries the alias as an attribute
    return types.SimpleNamespace(key_alias=alias)


def hook(user, data, call_type="acompletion"):
    return asyncio.run(module.request_metadata.async_pre_call_hook(user, None, data, call_type))


class RequestMetadataTest(unittest.TestCase):
    def test_the_key_alias_becomes_requestMetadata_agent(self) -> None:
        data = hook(key("invoice-extractor"), {"model": "claude-primary", "messages": []})
        self.assertEqual(data["requestMetadata"], {"agent": "invoice-extractor"})
        self.assertEqual(data["model"], "claude-primary")

    def test_the_caller_keeps_its_pairs_but_cannot_claim_another_agent(self) -> None:
        data = hook(key("supervisor"), {"requestMetadata": {"run": "42", "agent": "someone-else"}})
        self.assertEqual(data["requestMetadata"], {"run": "42", "agent": "supervisor"})

    def test_no_alias_no_change(self) -> None:
        for user in (key(None), key("  "), object()):
            self.assertNotIn("requestMetadata", hook(user, {"messages": []}))

    def test_only_chat_completions(self) -> None:
        self.assertNotIn("requestMetadata", hook(key("a"), {"input": "x"}, call_type="aembedding"))
        self.assertIn("requestMetadata", hook(key("a"), {}, call_type="completion"))

    def test_values_are_made_bedrock_safe(self) -> None:
        self.assertEqual(module.bedrock_safe("team/agent:1 ok"), "team/agent:1 ok")
        self.assertEqual(module.bedrock_safe("agent<script>"), "agent_script_")
        self.assertEqual(len(module.bedrock_safe("a" * 300)), 256)

    def test_never_raises_into_the_request_path(self) -> None:
        class Broken:
            @property
            def key_alias(self):
                raise RuntimeError("boom")

        data = {"messages": []}
        self.assertIs(hook(Broken(), data), data)

    def test_the_config_registers_the_instance(self) -> None:
        config = (PATH.parent.parent / "config" / "litellm_config.yaml").read_text()
        self.assertIn("callbacks.request_metadata.request_metadata", config)
        self.assertIsInstance(module.request_metadata, module.RequestMetadata)


if __name__ == "__main__":
    unittest.main()
