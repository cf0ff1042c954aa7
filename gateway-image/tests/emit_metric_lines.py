"""Print the metric lines of one success and one failure event, in that order.

Driver for modules/metric-line.test.ts, which checks that the keys the real callback
writes are exactly the ones the CloudWatch metric filters are built from. Runs with the
standard library only (no LiteLLM needed): python3 gateway-image/tests/emit_metric_lines.py
"""

from __future__ import annotations

import asyncio

from payloads import load_metrics_logger, model_response, success_event, throttled_event, times


def main() -> None:
    logger = load_metrics_logger().metrics_logger
    start, end = times()
    # The proxy only calls the async hooks; they are the ones the contract is checked on.
    asyncio.run(logger.async_log_success_event(success_event(), model_response(), start, end))
    asyncio.run(logger.async_log_failure_event(throttled_event(), None, start, end))


if __name__ == "__main__":
    main()
