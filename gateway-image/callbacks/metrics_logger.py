"""One JSON metric line per LiteLLM completion, on stdout, for CloudWatch metric filters.

Loaded by the proxy from ``<config dir>/callbacks/metrics_logger.py`` and referenced in the
config as ``callbacks.metrics_logger.metrics_logger``: the proxy takes that attribute as-is
without instantiating it, hence the module-level instance at the bottom.

The field names are a contract with ``modules/metric-line.ts`` (METRIC_LINE_FIELDS), from
which the observability stack builds its metric filter patterns; ``modules/metric-line.test.ts``
runs this file to keep both sides in step.

Guarantees:
  * exactly one line per completion event, success or failure, sync or async;
  * never prompt or response content: only counters, identifiers and the error summary;
  * numbers are JSON numbers (ints for tokens and milliseconds, a float for cost), because
    a metric filter cannot publish a value it reads as a string;
  * never raises into the request path: a malformed event yields a line with what is
    known, or nothing.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import sys
import threading
from collections.abc import Mapping
from typing import Any, Optional

# LiteLLM loads this file by its path, outside any package: the shared base beside it (callback_base.py) is
# found through this directory, appended to the path so that it shadows nothing.
_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.append(_HERE)
from callback_base import CustomLogger  # noqa: E402


MARKER = "litellm_metric"
UNKNOWN = "unknown"

# Failure messages can be long provider bodies; the line only needs enough to triage.
_MAX_ERROR_CHARS = 300

# LiteLLM routes prefixed to a Bedrock model id (bedrock/converse/<id>, bedrock/invoke/<id>);
# stripped so `model` equals the catalogue's modelId, the metric dimension.
_MODEL_PREFIXES = ("bedrock/", "converse/", "invoke/")

# Sync callbacks run on LiteLLM's thread pool while async ones run on the event loop: one
# write per line under a lock keeps concurrent lines from interleaving.
_write_lock = threading.Lock()


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: Any) -> Optional[str]:
    if isinstance(value, str):
        stripped = value.strip()
        return stripped or None
    return None


def _first_text(*values: Any) -> Optional[str]:
    for value in values:
        text = _text(value)
        if text is not None:
            return text
    return None


def _number(value: Any) -> Optional[float]:
    """A finite float from an int, float or numeric string; bools and garbage give None."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value.strip() if isinstance(value, str) else value)
    except (OverflowError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _count(value: Any) -> Optional[int]:
    number = _number(value)
    if number is None:
        return None
    return max(0, int(round(number)))


def _strip_model_prefixes(model: str) -> str:
    changed = True
    while changed:
        changed = False
        for prefix in _MODEL_PREFIXES:
            if model.startswith(prefix):
                model = model[len(prefix):]
                changed = True
    return model


def _attribute(obj: Any, name: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name)
    try:
        return getattr(obj, name, None)
    except Exception:  # noqa: BLE001 - exotic objects may raise from properties
        return None


def _utc_iso(value: Any) -> Optional[str]:
    """ISO-8601 UTC from epoch seconds or a datetime (naive = local time, as LiteLLM uses)."""
    try:
        if isinstance(value, _dt.datetime):
            aware = value if value.tzinfo is not None else value.astimezone()
            return aware.astimezone(_dt.timezone.utc).isoformat()
        seconds = _number(value)
        if seconds is not None and seconds > 0:
            return _dt.datetime.fromtimestamp(seconds, tz=_dt.timezone.utc).isoformat()
    except (OverflowError, OSError, ValueError):
        pass
    return None


def _elapsed_seconds(start: Any, end: Any) -> Optional[float]:
    try:
        if isinstance(start, _dt.datetime) and isinstance(end, _dt.datetime):
            return (end - start).total_seconds()
    except TypeError:  # naive minus aware
        return None
    start_s, end_s = _number(start), _number(end)
    if start_s is None or end_s is None:
        return None
    return end_s - start_s


def _http_status(value: Any) -> Optional[int]:
    number = _number(value)
    if number is None or not number.is_integer():
        return None
    status = int(number)
    return status if 400 <= status <= 599 else None


def _one_line(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) > _MAX_ERROR_CHARS:
        return flat[: _MAX_ERROR_CHARS - 3] + "..."
    return flat


def _safe_str(value: Any) -> Optional[str]:
    try:
        return _text(str(value))
    except Exception:  # noqa: BLE001 - a broken __str__ must not cost the whole line
        return None


def _exception_from(kwargs: Mapping[str, Any], response_obj: Any) -> Optional[BaseException]:
    for candidate in (kwargs.get("exception"), response_obj):
        if isinstance(candidate, BaseException):
            return candidate
    return None


def build_metric_line(
    kwargs: Any,
    response_obj: Any,
    start_time: Any,
    end_time: Any,
    *,
    failed: bool,
) -> dict[str, Any]:
    """The metric line for one completion event, from LiteLLM's StandardLoggingPayload.

    Every value falls back to something type-correct when the payload is missing or
    malformed, so a metric filter always finds the same fields with the same types.
    """
    call = _mapping(kwargs)
    payload = _mapping(call.get("standard_logging_object"))
    metadata = _mapping(payload.get("metadata"))
    hidden = _mapping(payload.get("hidden_params"))
    litellm_params = _mapping(call.get("litellm_params"))
    request_metadata = _mapping(litellm_params.get("metadata"))

    model_raw = _first_text(payload.get("model"), call.get("model"), hidden.get("litellm_model_name"))
    model = _strip_model_prefixes(model_raw) if model_raw else UNKNOWN
    provider_raw = _first_text(_attribute(response_obj, "model")) if not failed else None
    provider_model = _strip_model_prefixes(provider_raw) if provider_raw else model

    usage = _attribute(response_obj, "usage") if not failed else None
    prompt_tokens = _count(payload.get("prompt_tokens"))
    if prompt_tokens is None:
        prompt_tokens = _count(_attribute(usage, "prompt_tokens")) or 0
    completion_tokens = _count(payload.get("completion_tokens"))
    if completion_tokens is None:
        completion_tokens = _count(_attribute(usage, "completion_tokens")) or 0
    total_tokens = _count(payload.get("total_tokens"))
    if total_tokens is None:
        total_tokens = _count(_attribute(usage, "total_tokens"))
    if total_tokens is None:
        total_tokens = prompt_tokens + completion_tokens

    cost = _number(payload.get("response_cost"))
    if cost is None:
        cost = _number(call.get("response_cost"))
    response_cost = max(0.0, cost) if cost is not None else 0.0

    seconds = _number(payload.get("response_time"))
    if seconds is None:
        seconds = _elapsed_seconds(payload.get("startTime"), payload.get("endTime"))
    if seconds is None:
        seconds = _elapsed_seconds(start_time, end_time)
    response_time_ms = max(0, int(round(seconds * 1000))) if seconds is not None else 0

    timestamp = (
        _utc_iso(payload.get("endTime"))
        or _utc_iso(end_time)
        or _dt.datetime.now(_dt.timezone.utc).isoformat()
    )

    line: dict[str, Any] = {
        MARKER: True,
        "model": model,
        "provider_model": provider_model,
        "model_group": _first_text(payload.get("model_group"), request_metadata.get("model_group")) or UNKNOWN,
        "key_alias": _first_text(metadata.get("user_api_key_alias"), request_metadata.get("user_api_key_alias"))
        or UNKNOWN,
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": total_tokens,
        "response_cost": float(response_cost),
        "response_time_ms": response_time_ms,
        "status_code": 200,
        "timestamp": timestamp,
    }

    if failed:
        error_info = _mapping(payload.get("error_information"))
        exception = _exception_from(call, response_obj)
        line["status_code"] = (
            _http_status(error_info.get("error_code"))
            or _http_status(_attribute(exception, "status_code"))
            or 500
        )
        message = _first_text(error_info.get("error_message"), payload.get("error_str"))
        if message is None and exception is not None:
            message = _safe_str(exception)
        line["error"] = _one_line(message) if message else "unknown error"
        line["error_class"] = _first_text(error_info.get("error_class")) or (
            type(exception).__name__ if exception is not None else "UnknownError"
        )
    return line


def _emit(line: dict[str, Any]) -> None:
    text = json.dumps(line, separators=(",", ":"), allow_nan=False)
    with _write_lock:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()


def _log(kwargs: Any, response_obj: Any, start_time: Any, end_time: Any, *, failed: bool) -> None:
    # A metric must never fail the request it measures: any error drops this one line.
    try:
        _emit(build_metric_line(kwargs, response_obj, start_time, end_time, failed=failed))
    except Exception:  # noqa: BLE001
        pass


class MetricsLogger(CustomLogger):
    """LiteLLM callback printing one metric line per completion (see the module docstring)."""

    def log_success_event(self, kwargs, response_obj, start_time, end_time):  # type: ignore[override]
        _log(kwargs, response_obj, start_time, end_time, failed=False)

    def log_failure_event(self, kwargs, response_obj, start_time, end_time):  # type: ignore[override]
        _log(kwargs, response_obj, start_time, end_time, failed=True)

    async def async_log_success_event(self, kwargs, response_obj, start_time, end_time):  # type: ignore[override]
        _log(kwargs, response_obj, start_time, end_time, failed=False)

    async def async_log_failure_event(self, kwargs, response_obj, start_time, end_time):  # type: ignore[override]
        _log(kwargs, response_obj, start_time, end_time, failed=True)


metrics_logger = MetricsLogger()
