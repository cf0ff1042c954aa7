"""Puts the calling agent (its LiteLLM key alias) into Bedrock's own invocation logs.

Bedrock's Converse API takes ``requestMetadata``, string pairs recorded in model invocation logs
(https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html, RequestMetadata;
"Per-request metadata tagging", https://docs.aws.amazon.com/bedrock/latest/userguide/cost-mgmt-request-metadata.html).
LiteLLM passes a ``requestMetadata`` request parameter through to Converse since
https://github.com/BerriAI/litellm/pull/14570 (merged 2025-09, before the pinned v1.108.12), validating
it as Bedrock does: at most 16 pairs, keys 1-256 and values 0-256 characters of
``[a-zA-Z0-9\\s:_@$#=/+,.-]``.

This proxy pre-call hook (CustomLogger.async_pre_call_hook, LiteLLM docs "Modify / Reject Incoming
Requests", docs/proxy/call_hooks) sets ``requestMetadata["agent"]`` to the key alias of the virtual key
that authenticated the call, after whatever the caller sent: an agent can add its own pairs but cannot
claim to be another agent. Only chat completions (the Converse route of the catalogue's ``bedrock/``
models); a call without a key alias (the master key) is left as it came.

Loaded like metrics_logger: ``callbacks.request_metadata.request_metadata`` (a module-level instance).
Never raises into the request path.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from typing import Any, Optional

# LiteLLM loads this file by its path, outside any package: the shared base beside it (callback_base.py) is
# found through this directory, appended to the path so that it shadows nothing.
_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.append(_HERE)
from callback_base import CustomLogger  # noqa: E402


AGENT_KEY = "agent"
# Bedrock's RequestMetadata value pattern and length (API_runtime_Converse.html).
_DISALLOWED = re.compile(r"[^a-zA-Z0-9\s:_@$#=/+,.\-]")
_MAX_VALUE_CHARS = 256
# The proxy's call_type for /chat/completions (and /v1/completions mapped onto it).
_CALL_TYPES = frozenset({"completion", "acompletion"})


def bedrock_safe(value: str) -> str:
    """`value` in Bedrock's allowed characters (others become `_`), at most 256 characters."""
    return _DISALLOWED.sub("_", value)[:_MAX_VALUE_CHARS]


def key_alias(user_api_key_dict: Any) -> Optional[str]:
    alias = getattr(user_api_key_dict, "key_alias", None)
    if alias is None and isinstance(user_api_key_dict, Mapping):
        alias = user_api_key_dict.get("key_alias")
    if isinstance(alias, str) and alias.strip():
        return alias.strip()
    return None


def with_agent(data: dict, alias: Optional[str]) -> dict:
    """`data` with requestMetadata.agent = alias (the caller's other pairs kept); unchanged without an alias."""
    if alias is None:
        return data
    supplied = data.get("requestMetadata")
    metadata = {str(k): v for k, v in supplied.items()} if isinstance(supplied, Mapping) else {}
    metadata[AGENT_KEY] = bedrock_safe(alias)
    data["requestMetadata"] = metadata
    return data


class RequestMetadata(CustomLogger):
    async def async_pre_call_hook(self, user_api_key_dict, cache, data, call_type):  # type: ignore[override]
        try:
            if call_type in _CALL_TYPES and isinstance(data, dict):
                return with_agent(data, key_alias(user_api_key_dict))
        except Exception:  # noqa: BLE001 - never fail a request over its log metadata
            pass
        return data


request_metadata = RequestMetadata()
