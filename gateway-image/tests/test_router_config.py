"""`router_settings` of config/litellm_config.yaml read the way LiteLLM's proxy and Router read them: how many times
a failed call is retried on the same deployment before the fallback runs, per error type.

What is reproduced here, and where it is in LiteLLM (BerriAI/litellm):
  * the proxy resolves os.environ/ references (ProxyConfig.get_config -> _check_for_os_environ_vars) and passes
    router_settings to Router(...) (litellm/proxy/proxy_server.py); Router.__init__ turns a dict `retry_policy` into
    RetryPolicy(**retry_policy) (litellm/router.py);
  * RetryPolicy (litellm/types/router.py) is a pydantic model with the fields BadRequestErrorRetries,
    AuthenticationErrorRetries, TimeoutErrorRetries, RateLimitErrorRetries, ContentPolicyViolationErrorRetries and
    InternalServerErrorRetries; a misspelt key is ignored silently (pydantic's default), hence the field check;
  * get_num_retries_from_retry_policy (litellm/router_utils/get_retry_from_policy.py): the first isinstance match of
    AuthenticationError, Timeout, RateLimitError, ContentPolicyViolationError, BadRequestError whose field is not
    None gives the retries; otherwise None (num_retries applies). Older releases do not map
    InternalServerErrorRetries at all, so the config leaves 5xx to num_retries;
  * Router.async_function_with_retries (litellm/router.py): num_retries starts from router_settings.num_retries,
    or the exception's own num_retries (LiteLLM's own rate-limit 429 from enforce_model_rate_limits carries 0); the
    retry policy is consulted first and, when it gives a number, should_retry_this_error is skipped; with 0 retries
    the error is raised and the fallbacks (router_settings.fallbacks) run at once; otherwise should_retry_this_error
    decides: a RateLimitError with no healthy deployment left and fallbacks configured is raised (fallback), else the
    call is retried num_retries times, retry_after seconds apart at least.
  * the exception classes and their parents: litellm/exceptions.py (ContentPolicyViolationError is a
    BadRequestError; Bedrock's ThrottlingException maps to RateLimitError, a 500 to InternalServerError, a 503 to
    ServiceUnavailableError: litellm/litellm_core_utils/exception_mapping_utils.py).
"""
import copy
import unittest

from tests.test_guardrail_config import CONFIG, check_for_os_environ_vars, load_yaml

RETRY_POLICY_FIELDS = {
    "BadRequestErrorRetries",
    "AuthenticationErrorRetries",
    "TimeoutErrorRetries",
    "RateLimitErrorRetries",
    "ContentPolicyViolationErrorRetries",
    "InternalServerErrorRetries",
}


# litellm/exceptions.py, reduced to the class hierarchy isinstance sees.
class AuthenticationError(Exception):
    pass


class Timeout(Exception):
    pass


class RateLimitError(Exception):
    pass


class BadRequestError(Exception):
    pass


class ContentPolicyViolationError(BadRequestError):
    pass


class InternalServerError(Exception):
    pass


class ServiceUnavailableError(Exception):
    pass


def retries_from_policy(exception, policy):
    """get_num_retries_from_retry_policy: None when the policy says nothing about this exception."""
    if policy is None:
        return None
    for cls, field in (
        (AuthenticationError, "AuthenticationErrorRetries"),
        (Timeout, "TimeoutErrorRetries"),
        (RateLimitError, "RateLimitErrorRetries"),
        (ContentPolicyViolationError, "ContentPolicyViolationErrorRetries"),
        (BadRequestError, "BadRequestErrorRetries"),
    ):
        if isinstance(exception, cls) and policy.get(field) is not None:
            return policy[field]
    return None


def router_settings(environ=None):
    config = check_for_os_environ_vars(copy.deepcopy(load_yaml(CONFIG)), environ or {})
    return config["router_settings"]


def retries_before_fallback(settings, exception, healthy_deployments=1, own_rate_limit=False):
    """The number of retries on the same model group before the fallback runs (async_function_with_retries)."""
    num_retries = settings.get("num_retries", 0)
    if own_rate_limit:
        num_retries = 0  # the pre-call check's RateLimitError carries num_retries=0
    from_policy = retries_from_policy(exception, settings.get("retry_policy"))
    if from_policy is not None:
        return from_policy
    # should_retry_this_error: a throttle with no healthy deployment left goes to the fallback.
    if isinstance(exception, RateLimitError) and healthy_deployments <= 0 and settings.get("fallbacks"):
        return 0
    return num_retries


class RetryPolicyShapeTest(unittest.TestCase):
    def test_every_key_is_a_retry_policy_field(self):
        policy = router_settings().get("retry_policy")
        self.assertIsInstance(policy, dict, "router_settings.retry_policy must be a mapping")
        self.assertLessEqual(set(policy), RETRY_POLICY_FIELDS, "a misspelt RetryPolicy field is ignored by pydantic")
        for key, value in policy.items():
            self.assertIsInstance(value, int, key)
            self.assertGreaterEqual(value, 0, key)

    def test_the_primary_alias_has_a_fallback(self):
        fallbacks = router_settings()["fallbacks"]
        self.assertIn({"claude-primary": ["claude-fallback"]}, fallbacks)


class RetriesBeforeFallbackTest(unittest.TestCase):
    def setUp(self):
        self.settings = router_settings()

    def test_a_bedrock_throttle_falls_back_at_once(self):
        # claude-primary has one deployment, which stays healthy after a 429 (single-deployment groups are not
        # cooled down on rate limits): without the policy this would be num_retries (3) retries, 5 s apart.
        self.assertEqual(retries_before_fallback(self.settings, RateLimitError(), healthy_deployments=1), 0)

    def test_without_the_policy_a_throttle_is_retried(self):
        settings = dict(self.settings)
        settings.pop("retry_policy")
        self.assertEqual(retries_before_fallback(settings, RateLimitError(), healthy_deployments=1), 3)

    def test_the_gateways_own_rate_limit_is_not_retried(self):
        self.assertEqual(retries_before_fallback(self.settings, RateLimitError(), own_rate_limit=True), 0)

    def test_timeouts_and_server_errors_are_still_retried(self):
        for exception in (Timeout(), InternalServerError(), ServiceUnavailableError()):
            with self.subTest(type(exception).__name__):
                self.assertEqual(retries_before_fallback(self.settings, exception), self.settings["num_retries"])
        self.assertGreater(self.settings["num_retries"], 0)
        self.assertEqual(self.settings["retry_after"], 5)


if __name__ == "__main__":
    unittest.main()
