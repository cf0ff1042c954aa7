"""Callback inputs shaped like the ones LiteLLM's proxy hands to a CustomLogger.

Shared by the unit tests and by emit_metric_lines.py (run from modules/metric-line.test.ts),
so both sides of the metric-line contract are checked against the same realistic events.
Shapes follow StandardLoggingPayload (litellm/types/utils.py) for a Bedrock call through a
virtual key; every prompt and completion carries a marker that must never reach a line.
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib.util
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any, Optional

GATEWAY_IMAGE_DIR = Path(__file__).resolve().parents[1]
METRICS_LOGGER_PATH = GATEWAY_IMAGE_DIR / "callbacks" / "metrics_logger.py"

PROMPT_MARKER = "PROMPT-CANARY-5e1f9c"
COMPLETION_MARKER = "COMPLETION-CANARY-a04d27"

SONNET_PROFILE = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
HAIKU_PROFILE = "us.anthropic.claude-haiku-4-5-20251001-v1:0"

START_EPOCH = 1777247980.436045  # 2026-04-26T23:59:40.436045Z
END_EPOCH = 1777247981.929045  # 1.493 s later


def load_metrics_logger() -> ModuleType:
    """Load the callback the way the proxy does: by file path, under its dotted name."""
    spec = importlib.util.spec_from_file_location("callbacks.metrics_logger", METRICS_LOGGER_PATH)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {METRICS_LOGGER_PATH}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class RateLimitError(Exception):
    """Mirrors litellm.RateLimitError: Bedrock ThrottlingException mapped to HTTP 429."""

    status_code = 429


class ContextWindowExceededError(Exception):
    """Mirrors litellm.ContextWindowExceededError (a 400 BadRequestError subclass)."""

    status_code = 400


def _messages() -> list[dict[str, Any]]:
    return [
        {"role": "system", "content": "You extract fields from documents."},
        {"role": "user", "content": f"Extract the invoice total. {PROMPT_MARKER}"},
    ]


def _response_body() -> dict[str, Any]:
    return {
        "id": "chatcmpl-3b1d2c51",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": COMPLETION_MARKER}}],
    }


def model_response(model: str = SONNET_PROFILE, prompt_tokens: int = 10164, completion_tokens: int = 32) -> Any:
    """Stand-in for litellm.ModelResponse: attribute access, content in choices."""
    return SimpleNamespace(
        id="chatcmpl-3b1d2c51",
        model=model,
        object="chat.completion",
        choices=[SimpleNamespace(message=SimpleNamespace(role="assistant", content=COMPLETION_MARKER))],
        usage=SimpleNamespace(
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            total_tokens=prompt_tokens + completion_tokens,
        ),
    )


def _standard_logging_object(*, status: str, model: str, model_group: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-3b1d2c51",
        "trace_id": "8a4b1f0e-4c1d-4a55-9d7e-1b2f0c3d4e5f",
        "call_type": "acompletion",
        "stream": False,
        "response_cost": 0.0340692,
        "response_cost_failure_debug_info": None,
        "status": status,
        "custom_llm_provider": "bedrock",
        "total_tokens": 10196,
        "prompt_tokens": 10164,
        "completion_tokens": 32,
        "startTime": START_EPOCH,
        "endTime": END_EPOCH,
        "completionStartTime": END_EPOCH,
        "response_time": END_EPOCH - START_EPOCH,
        "model_map_information": {"model_map_key": model, "model_map_value": None},
        "model": model,
        "model_id": "5f0b1c2d3e4f",
        "model_group": model_group,
        "api_base": f"https://bedrock-runtime.us-east-1.amazonaws.com/model/{model}/converse",
        "metadata": {
            "user_api_key_hash": "88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b",
            "user_api_key_alias": "extraction-agent",
            "user_api_key_team_id": "document-processing",
            "user_api_key_user_id": None,
            "user_api_key_team_alias": "document-processing",
            "spend_logs_metadata": None,
            "requester_ip_address": "10.0.12.34",
        },
        "cache_hit": False,
        "cache_key": None,
        "saved_cache_cost": 0.0,
        "request_tags": [],
        "end_user": None,
        "requester_ip_address": "10.0.12.34",
        "messages": _messages(),
        "response": _response_body(),
        "error_str": None,
        "error_information": None,
        "model_parameters": {"max_tokens": 1024, "temperature": 0},
        "hidden_params": {
            "model_id": "5f0b1c2d3e4f",
            "cache_key": None,
            "api_base": "https://bedrock-runtime.us-east-1.amazonaws.com",
            "response_cost": "0.0340692",
            "litellm_model_name": f"bedrock/{model}",
        },
    }


def _call_kwargs(slo: dict[str, Any], *, model: str, model_group: str) -> dict[str, Any]:
    return {
        "model": model,
        "messages": _messages(),
        "optional_params": {"max_tokens": 1024, "temperature": 0},
        "litellm_params": {
            "acompletion": True,
            "api_base": "https://bedrock-runtime.us-east-1.amazonaws.com",
            "metadata": {
                "model_group": model_group,
                "user_api_key_alias": "extraction-agent",
                "headers": {"content-type": "application/json"},
            },
        },
        "stream": False,
        "user": None,
        "input": _messages(),
        "api_key": None,
        "original_response": f'{{"output": {{"message": {{"content": [{{"text": "{COMPLETION_MARKER}"}}]}}}}}}',
        "additional_args": {"complete_input_dict": {"messages": _messages()}},
        "log_event_type": "successful_api_call",
        "response_cost": slo.get("response_cost"),
        "cache_hit": False,
        "standard_logging_object": slo,
    }


def success_event(model: str = SONNET_PROFILE, model_group: str = "claude-primary") -> dict[str, Any]:
    slo = _standard_logging_object(status="success", model=model, model_group=model_group)
    return _call_kwargs(slo, model=model, model_group=model_group)


def failure_event(
    *,
    exception: Optional[BaseException],
    error_code: Optional[str],
    error_class: Optional[str],
    error_message: str,
    model: str = SONNET_PROFILE,
    model_group: str = "claude-primary",
) -> dict[str, Any]:
    slo = _standard_logging_object(status="failure", model=model, model_group=model_group)
    slo.update(
        {
            "response_cost": 0.0,
            "prompt_tokens": 0,
            "completion_tokens": 0,
            "total_tokens": 0,
            "response": None,
            "error_str": error_message,
            "error_information": {
                "error_code": error_code,
                "error_class": error_class,
                "llm_provider": "bedrock",
                "traceback": "Traceback (most recent call last): ...",
                "error_message": error_message,
            },
        }
    )
    kwargs = _call_kwargs(slo, model=model, model_group=model_group)
    kwargs["log_event_type"] = "failed_api_call"
    kwargs["exception"] = exception
    kwargs["response_cost"] = 0.0
    return kwargs


def throttled_event() -> dict[str, Any]:
    message = "litellm.RateLimitError: BedrockException - Too many requests, please wait before trying again."
    return failure_event(
        exception=RateLimitError(message), error_code="429", error_class="RateLimitError", error_message=message
    )


def context_window_event() -> dict[str, Any]:
    message = (
        "litellm.ContextWindowExceededError: BedrockException - "
        "prompt is too long: 215021 tokens > 200000 maximum"
    )
    return failure_event(
        exception=ContextWindowExceededError(message),
        error_code="400",
        error_class="ContextWindowExceededError",
        error_message=message,
    )


def times() -> tuple[dt.datetime, dt.datetime]:
    """start_time/end_time as LiteLLM passes them: naive local datetimes."""
    start = dt.datetime.fromtimestamp(START_EPOCH)
    end = dt.datetime.fromtimestamp(END_EPOCH)
    return start, end


def deep(event: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(event)
