"""`litellm_settings.callbacks` and `general_settings` of config/litellm_config.yaml, read the way LiteLLM's proxy
reads them.

  * initialize_callbacks_on_proxy (litellm/proxy/common_utils/callback_utils.py), called by ProxyConfig.load_config
    for the key "callbacks": a list is resolved item by item and litellm.callbacks.extend(...)-ed; any other value
    replaces the list: litellm.callbacks = [get_instance_fn(value)]. Callbacks LiteLLM registered before the config
    was read would then be dropped.
  * PrismaDBExceptionHandler.should_allow_request_on_db_unavailable (litellm/proxy/db/exception_handler.py):
    general_settings.allow_requests_on_db_unavailable, a bool or a "true"/"false" string, default False. LiteLLM's
    production guide (docs proxy/prod) recommends it only where the proxy is not reachable from the internet; the
    edge (edge.enabled) makes this one reachable, so it must stay off.
"""
import unittest

from tests.test_guardrail_config import CONFIG, load_yaml

ALREADY_REGISTERED = object()  # a callback LiteLLM registered before the config was read


def callbacks_after_load(value, before):
    """litellm.callbacks after initialize_callbacks_on_proxy(value) with `before` already registered."""
    callbacks = list(before)
    if isinstance(value, list):
        callbacks.extend(value)
        return callbacks
    return [value]


def str_to_bool(value):
    lowered = str(value).strip().lower()
    return True if lowered == "true" else False if lowered == "false" else None


class CallbacksTest(unittest.TestCase):
    def test_the_metrics_callback_extends_litellms_list(self):
        value = load_yaml(CONFIG)["litellm_settings"]["callbacks"]
        self.assertIsInstance(value, list, "a single value replaces litellm.callbacks")
        self.assertIn("callbacks.metrics_logger.metrics_logger", value)
        after = callbacks_after_load(value, [ALREADY_REGISTERED])
        self.assertIn(ALREADY_REGISTERED, after)

    def test_a_single_value_would_drop_the_callbacks_registered_before(self):
        self.assertNotIn(ALREADY_REGISTERED, callbacks_after_load("callbacks.metrics_logger.metrics_logger", [ALREADY_REGISTERED]))


class DatabaseUnavailableTest(unittest.TestCase):
    def test_requests_are_not_allowed_through_when_the_database_is_down(self):
        value = load_yaml(CONFIG)["general_settings"].get("allow_requests_on_db_unavailable", False)
        allowed = value if isinstance(value, bool) else str_to_bool(value) is True
        self.assertFalse(allowed)


if __name__ == "__main__":
    unittest.main()
