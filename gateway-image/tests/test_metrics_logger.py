"""Unit tests for callbacks/metrics_logger.py (standard library only).

Run from the repository root:
    python3 -m unittest discover -s gateway-image/tests -t gateway-image
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import io
import json
import threading
import unittest
from typing import Any, Callable

from . import payloads
from .payloads import (
    COMPLETION_MARKER,
    HAIKU_PROFILE,
    PROMPT_MARKER,
    SONNET_PROFILE,
    ContextWindowExceededError,
    RateLimitError,
    model_response,
    success_event,
    throttled_event,
    context_window_event,
    failure_event,
    times,
)

ML = payloads.load_metrics_logger()
LOGGER = ML.metrics_logger

COMMON_FIELDS = {
    "litellm_metric",
    "model",
    "provider_model",
    "model_group",
    "key_alias",
    "prompt_tokens",
    "completion_tokens",
    "total_tokens",
    "response_cost",
    "response_time_ms",
    "status_code",
    "timestamp",
}
FAILURE_FIELDS = COMMON_FIELDS | {"error", "error_class"}
INT_FIELDS = ("prompt_tokens", "completion_tokens", "total_tokens", "response_time_ms", "status_code")
STR_FIELDS = ("model", "provider_model", "model_group", "key_alias", "timestamp")


def capture(call: Callable[[], Any]) -> str:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        call()
    return buffer.getvalue()


def run_sync(method: str, kwargs: Any, response_obj: Any = None, start: Any = None, end: Any = None) -> str:
    return capture(lambda: getattr(LOGGER, method)(kwargs, response_obj, start, end))


def run_async(method: str, kwargs: Any, response_obj: Any = None, start: Any = None, end: Any = None) -> str:
    return capture(lambda: asyncio.run(getattr(LOGGER, method)(kwargs, response_obj, start, end)))


def single_line(output: str) -> dict[str, Any]:
    lines = output.splitlines()
    assert len(lines) == 1, f"expected exactly one line, got {len(lines)}: {output!r}"
    assert output.endswith("\n")
    parsed = json.loads(lines[0])
    assert isinstance(parsed, dict)
    return parsed


class TypeContractMixin(unittest.TestCase):
    def assert_types(self, line: dict[str, Any]) -> None:
        self.assertIs(line["litellm_metric"], True)
        for field in INT_FIELDS:
            self.assertIs(type(line[field]), int, f"{field}={line[field]!r} must be an int")
            self.assertGreaterEqual(line[field], 0)
        self.assertIs(type(line["response_cost"]), float)
        self.assertGreaterEqual(line["response_cost"], 0.0)
        for field in STR_FIELDS:
            self.assertIsInstance(line[field], str)
            self.assertNotEqual(line[field], "")
        self.assert_utc_iso(line["timestamp"])

    def assert_utc_iso(self, value: str) -> dt.datetime:
        parsed = dt.datetime.fromisoformat(value)
        self.assertIsNotNone(parsed.tzinfo, f"{value} has no offset")
        self.assertEqual(parsed.utcoffset(), dt.timedelta(0), f"{value} is not UTC")
        return parsed


class SuccessEventTest(TypeContractMixin):
    def test_sync_success_prints_one_line_with_the_payload_values(self) -> None:
        # GIVEN a completed Sonnet call through the extraction agent's virtual key
        start, end = times()
        # WHEN the sync hook runs
        line = single_line(run_sync("log_success_event", success_event(), model_response(), start, end))
        # THEN the line carries the payload's values, typed for metric filters
        self.assertEqual(set(line), COMMON_FIELDS)
        self.assertEqual(
            line,
            {
                "litellm_metric": True,
                "model": SONNET_PROFILE,
                "provider_model": SONNET_PROFILE,
                "model_group": "claude-primary",
                "key_alias": "extraction-agent",
                "prompt_tokens": 10164,
                "completion_tokens": 32,
                "total_tokens": 10196,
                "response_cost": 0.0340692,
                "response_time_ms": 1493,
                "status_code": 200,
                "timestamp": "2026-04-26T23:59:41.929045+00:00",
            },
        )
        self.assert_types(line)

    def test_async_success_prints_the_same_line_as_sync(self) -> None:
        start, end = times()
        sync_line = single_line(run_sync("log_success_event", success_event(), model_response(), start, end))
        async_line = single_line(run_async("async_log_success_event", success_event(), model_response(), start, end))
        self.assertEqual(async_line, sync_line)

    def test_streaming_completion_prints_one_line(self) -> None:
        # GIVEN a streamed call: LiteLLM hands over the assembled response once, at the end
        event = success_event(model=HAIKU_PROFILE, model_group="claude-fast")
        event["stream"] = True
        event["standard_logging_object"]["stream"] = True
        event["async_complete_streaming_response"] = model_response(HAIKU_PROFILE, 812, 240)
        # WHEN
        line = single_line(
            run_async("async_log_success_event", event, event["async_complete_streaming_response"], *times())
        )
        # THEN
        self.assertEqual(line["model"], HAIKU_PROFILE)
        self.assertEqual(line["model_group"], "claude-fast")
        self.assertEqual(line["status_code"], 200)
        self.assert_types(line)

    def test_cache_hit_reports_zero_cost_as_a_float(self) -> None:
        event = success_event()
        slo = event["standard_logging_object"]
        slo.update({"cache_hit": True, "response_cost": 0, "saved_cache_cost": 0.034, "response_time": 0.004})
        line = single_line(run_async("async_log_success_event", event, model_response(), *times()))
        self.assertIs(type(line["response_cost"]), float)
        self.assertEqual(line["response_cost"], 0.0)
        self.assertEqual(line["response_time_ms"], 4)
        self.assertEqual(line["status_code"], 200)

    def test_zero_tokens_stay_integers(self) -> None:
        event = success_event()
        event["standard_logging_object"].update({"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0})
        line = single_line(run_sync("log_success_event", event, model_response(prompt_tokens=0, completion_tokens=0)))
        for field in ("prompt_tokens", "completion_tokens", "total_tokens"):
            self.assertIs(type(line[field]), int)
            self.assertEqual(line[field], 0)

    def test_provider_model_is_what_the_response_reports(self) -> None:
        line = single_line(run_sync("log_success_event", success_event(), model_response(model=f"bedrock/{HAIKU_PROFILE}")))
        self.assertEqual(line["model"], SONNET_PROFILE)
        self.assertEqual(line["provider_model"], HAIKU_PROFILE)


class FailureEventTest(TypeContractMixin):
    def test_throttling_reports_429_and_the_error_summary(self) -> None:
        # GIVEN Bedrock throttled the call (error_information carries the HTTP code)
        line = single_line(run_async("async_log_failure_event", throttled_event(), None, *times()))
        # THEN
        self.assertEqual(set(line), FAILURE_FIELDS)
        self.assertEqual(line["status_code"], 429)
        self.assertEqual(line["error_class"], "RateLimitError")
        self.assertIn("Too many requests", line["error"])
        self.assertEqual(line["model"], SONNET_PROFILE)
        self.assertEqual(line["key_alias"], "extraction-agent")
        self.assertEqual((line["prompt_tokens"], line["total_tokens"], line["response_cost"]), (0, 0, 0.0))
        self.assert_types(line)

    def test_context_window_overflow_reports_400(self) -> None:
        line = single_line(run_sync("log_failure_event", context_window_event(), None, *times()))
        self.assertEqual(line["status_code"], 400)
        self.assertEqual(line["error_class"], "ContextWindowExceededError")
        self.assert_types(line)

    def test_status_comes_from_the_exception_when_error_information_is_missing(self) -> None:
        # GIVEN a payload without error_information: only kwargs["exception"] knows the status
        event = context_window_event()
        del event["standard_logging_object"]["error_information"]
        line = single_line(run_async("async_log_failure_event", event, None, *times()))
        self.assertEqual(line["status_code"], 400)
        self.assertEqual(line["error_class"], "ContextWindowExceededError")
        self.assertIn("prompt is too long", line["error"])

    def test_unusable_error_code_falls_back_to_the_exception_status(self) -> None:
        event = throttled_event()
        event["standard_logging_object"]["error_information"]["error_code"] = "None"
        line = single_line(run_sync("log_failure_event", event, None, *times()))
        self.assertEqual(line["status_code"], 429)

    def test_unknown_failure_reports_500(self) -> None:
        # GIVEN an exception without any HTTP status and no error code
        event = failure_event(
            exception=RuntimeError("connection reset by peer"),
            error_code="",
            error_class=None,
            error_message="",
        )
        line = single_line(run_async("async_log_failure_event", event, None, *times()))
        self.assertEqual(line["status_code"], 500)
        self.assertEqual(line["error_class"], "RuntimeError")
        self.assertEqual(line["error"], "connection reset by peer")
        self.assert_types(line)

    def test_exception_passed_as_response_obj_is_used(self) -> None:
        line = single_line(run_sync("log_failure_event", {}, RateLimitError("slow down"), None, None))
        self.assertEqual((line["status_code"], line["error_class"], line["error"]), (429, "RateLimitError", "slow down"))

    def test_non_http_codes_are_not_reported_as_status(self) -> None:
        event = failure_event(exception=None, error_code="200", error_class="APIError", error_message="odd")
        line = single_line(run_sync("log_failure_event", event, None, *times()))
        self.assertEqual(line["status_code"], 500)

    def test_error_is_one_bounded_line(self) -> None:
        message = "BedrockException\n" + "x" * 5000
        event = failure_event(exception=None, error_code="503", error_class="ServiceUnavailableError", error_message=message)
        line = single_line(run_sync("log_failure_event", event, None, *times()))
        self.assertNotIn("\n", line["error"])
        self.assertLessEqual(len(line["error"]), 300)
        self.assertEqual(line["status_code"], 503)


class ContentNeverLeaksTest(unittest.TestCase):
    def test_no_prompt_or_completion_text_in_any_line(self) -> None:
        start, end = times()
        output = "".join(
            [
                run_sync("log_success_event", success_event(), model_response(), start, end),
                run_async("async_log_success_event", success_event(), model_response(), start, end),
                run_sync("log_failure_event", throttled_event(), None, start, end),
                run_async("async_log_failure_event", context_window_event(), None, start, end),
            ]
        )
        self.assertEqual(len(output.splitlines()), 4)
        self.assertNotIn(PROMPT_MARKER, output)
        self.assertNotIn(COMPLETION_MARKER, output)
        self.assertNotIn("You extract fields", output)


class MalformedInputTest(TypeContractMixin):
    METHODS = ("log_success_event", "log_failure_event", "async_log_success_event", "async_log_failure_event")

    def run_method(self, method: str, kwargs: Any, response_obj: Any = None, start: Any = None, end: Any = None) -> str:
        runner = run_async if method.startswith("async_") else run_sync
        return runner(method, kwargs, response_obj, start, end)

    def test_every_hook_survives_absent_or_garbage_input(self) -> None:
        cases = {
            "None kwargs": None,
            "empty kwargs": {},
            "kwargs is a list": ["not", "a", "dict"],
            "kwargs is a string": "garbage",
            "payload is None": {"standard_logging_object": None},
            "payload is a string": {"standard_logging_object": "garbage"},
            "metadata is a list": {"standard_logging_object": {"metadata": [1, 2]}},
        }
        for method in self.METHODS:
            for name, kwargs in cases.items():
                with self.subTest(method=method, case=name):
                    line = single_line(self.run_method(method, kwargs, object(), "not-a-time", 42))
                    self.assert_types(line)
                    self.assertEqual(line["model"], "unknown")
                    self.assertEqual(line["status_code"], 500 if "failure" in method else 200)
                    self.assertEqual("error" in line, "failure" in method)

    def test_garbage_numbers_become_safe_numbers(self) -> None:
        event = success_event()
        event["standard_logging_object"].update(
            {
                "prompt_tokens": "120",
                "completion_tokens": 7.6,
                "total_tokens": None,
                "response_cost": float("nan"),
                "response_time": "fast",
                "startTime": True,
                "endTime": 10**400,
            }
        )
        event["response_cost"] = float("inf")
        start = dt.datetime(2026, 4, 26, 23, 59, 40, tzinfo=dt.timezone.utc)
        end = start + dt.timedelta(milliseconds=2500)
        line = single_line(run_sync("log_success_event", event, None, start, end))
        self.assertEqual((line["prompt_tokens"], line["completion_tokens"], line["total_tokens"]), (120, 8, 128))
        self.assertEqual(line["response_cost"], 0.0)
        self.assertEqual(line["response_time_ms"], 2500)
        self.assertEqual(line["timestamp"], "2026-04-26T23:59:42.500000+00:00")
        self.assert_types(line)

    def test_negative_values_are_clamped(self) -> None:
        event = success_event()
        event["standard_logging_object"].update({"prompt_tokens": -5, "response_cost": -0.2, "response_time": -1})
        line = single_line(run_sync("log_success_event", event, None))
        self.assertEqual((line["prompt_tokens"], line["response_cost"], line["response_time_ms"]), (0, 0.0, 0))

    def test_missing_payload_fields_fall_back_to_call_arguments(self) -> None:
        # GIVEN no standard_logging_object at all, only the raw call details and times
        event = success_event()
        del event["standard_logging_object"]
        start = dt.datetime(2026, 4, 27, 1, 59, 40, tzinfo=dt.timezone(dt.timedelta(hours=2)))
        end = start + dt.timedelta(seconds=1, microseconds=250000)
        line = single_line(run_async("async_log_success_event", event, model_response(), start, end))
        # THEN model, alias, usage and timing come from kwargs, the response and the datetimes
        self.assertEqual(line["model"], SONNET_PROFILE)
        self.assertEqual(line["model_group"], "claude-primary")
        self.assertEqual(line["key_alias"], "extraction-agent")
        self.assertEqual((line["prompt_tokens"], line["completion_tokens"], line["total_tokens"]), (10164, 32, 10196))
        self.assertEqual(line["response_cost"], 0.0340692)
        self.assertEqual(line["response_time_ms"], 1250)
        self.assertEqual(line["timestamp"], "2026-04-26T23:59:41.250000+00:00")

    def test_model_prefixes_are_stripped_to_the_bedrock_id(self) -> None:
        for raw in (f"bedrock/{SONNET_PROFILE}", f"bedrock/converse/{SONNET_PROFILE}", f"invoke/{SONNET_PROFILE}"):
            with self.subTest(raw=raw):
                event = success_event()
                event["standard_logging_object"]["model"] = raw
                line = single_line(run_sync("log_success_event", event, None))
                self.assertEqual(line["model"], SONNET_PROFILE)

    def test_naive_end_time_is_read_as_local_time_and_written_as_utc(self) -> None:
        end = dt.datetime.fromtimestamp(payloads.END_EPOCH)  # naive local, as LiteLLM passes it
        line = single_line(run_sync("log_success_event", {}, None, None, end))
        self.assertEqual(line["timestamp"], "2026-04-26T23:59:41.929045+00:00")

    def test_missing_end_time_stamps_now_in_utc(self) -> None:
        before = dt.datetime.now(dt.timezone.utc)
        line = single_line(run_sync("log_success_event", {}, None))
        stamped = self.assert_utc_iso(line["timestamp"])
        self.assertGreaterEqual(stamped, before)

    def test_hostile_objects_never_raise(self) -> None:
        class Hostile:
            @property
            def model(self) -> str:
                raise RuntimeError("property blew up")

            @property
            def usage(self) -> Any:
                raise RuntimeError("property blew up")

        class BadStr(Exception):
            def __str__(self) -> str:
                raise RuntimeError("str blew up")

        success = single_line(run_sync("log_success_event", success_event(), Hostile()))
        self.assertEqual(success["provider_model"], SONNET_PROFILE)
        failure = single_line(run_sync("log_failure_event", {"exception": BadStr()}, None))
        self.assertEqual((failure["error"], failure["error_class"]), ("unknown error", "BadStr"))

    def test_a_broken_stdout_drops_the_line_silently(self) -> None:
        class BrokenStream(io.StringIO):
            def write(self, _text: str) -> int:
                raise OSError("stdout closed")

        with contextlib.redirect_stdout(BrokenStream()):
            LOGGER.log_success_event(success_event(), None, None, None)
            asyncio.run(LOGGER.async_log_failure_event(throttled_event(), None, None, None))


class ModuleContractTest(unittest.TestCase):
    def test_module_exposes_an_instance_for_the_proxy_config(self) -> None:
        # The config names callbacks.metrics_logger.metrics_logger and the proxy does not
        # instantiate it, so the attribute must already be an instance.
        self.assertIsInstance(ML.metrics_logger, ML.MetricsLogger)
        self.assertTrue(issubclass(ML.MetricsLogger, ML.CustomLogger))

    def test_all_four_hooks_are_overridden(self) -> None:
        for name in ("log_success_event", "log_failure_event", "async_log_success_event", "async_log_failure_event"):
            with self.subTest(hook=name):
                self.assertIn(name, ML.MetricsLogger.__dict__)
        self.assertTrue(asyncio.iscoroutinefunction(ML.MetricsLogger.async_log_success_event))
        self.assertTrue(asyncio.iscoroutinefunction(ML.MetricsLogger.async_log_failure_event))

    def test_concurrent_hooks_write_whole_lines(self) -> None:
        buffer = io.StringIO()
        threads = [
            threading.Thread(target=LOGGER.log_success_event, args=(success_event(), model_response(), *times()))
            for _ in range(25)
        ]
        with contextlib.redirect_stdout(buffer):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        lines = buffer.getvalue().splitlines()
        self.assertEqual(len(lines), 25)
        for line in lines:
            self.assertEqual(json.loads(line)["model"], SONNET_PROFILE)


if __name__ == "__main__":
    unittest.main()
