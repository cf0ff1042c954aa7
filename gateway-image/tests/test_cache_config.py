"""`litellm_settings.cache` / `cache_params` and `general_settings.user_api_key_cache_ttl` of config/litellm_config.yaml,
read the way LiteLLM's proxy reads them, with the task environment with Redis (gateway.redis.enabled) and without.

What is reproduced here, and where it is in LiteLLM (BerriAI/litellm):
  * ProxyConfig.get_config -> _check_for_os_environ_vars and get_secret (litellm/proxy/proxy_server.py,
    litellm/secret_managers/main.py): os.environ/NAME -> the variable, None when unset, "true"/"false" -> booleans
    (tests/test_guardrail_config.py reproduces both);
  * ProxyConfig.load_config (litellm/proxy/proxy_server.py): for key "cache", only `value is True` builds the cache:
    cache_params are copied, their os.environ/ values resolved, and _init_cache calls Cache(**cache_params);
    `value is False` does nothing; any other value (None) is set as litellm.cache = None, i.e. no cache;
  * Cache(type="redis", host=None, ...) -> RedisCache -> _get_redis_client_logic (litellm/_redis.py): no host, no url,
    no startup/sentinel nodes -> ValueError("Either 'host' or 'url' must be specified for redis."): the proxy does not
    start, which is why the switch is a reference the task sets only with Redis;
  * Cache.should_use_cache (litellm/caching/caching.py): with mode default_off a request is served from / written to
    the cache only when it carries cache: {"use-cache": true};
  * general_settings.user_api_key_cache_ttl -> user_api_key_cache.update_cache_ttl(default_in_memory_ttl=...), the
    per-process auth cache (default UserAPIKeyCacheTTLEnum.in_memory_cache_ttl = 60).
"""
import copy
import unittest

from tests.test_guardrail_config import CONFIG, check_for_os_environ_vars, load_yaml

# The names modules/gateway/container-definition.ts sets with Redis (REDIS_PASSWORD comes from the task's secrets
# when the cache has an AUTH token; LiteLLM reads it as null otherwise).
WITH_REDIS = {"GATEWAY_REDIS_CACHE": "true", "REDIS_HOST": "master.cache.internal", "REDIS_PORT": "6379", "REDIS_SSL": "true"}
WITHOUT_REDIS = {}


class RedisHostMissing(ValueError):
    pass


def proxy_cache(environ):
    """What load_config builds: None (no cache) or the keyword arguments of Cache(...). Raises like _redis.py."""
    config = check_for_os_environ_vars(copy.deepcopy(load_yaml(CONFIG)), environ)
    settings = config.get("litellm_settings") or {}
    if settings.get("cache") is not True:
        return None
    params = dict(settings.get("cache_params") or {})
    if params.get("type", "redis") in ("redis", "redis-semantic") and not (params.get("host") or params.get("url")):
        raise RedisHostMissing("Either 'host' or 'url' must be specified for redis.")
    return params


def should_use_cache(params, request_cache_control):
    """Cache.should_use_cache for the mode the config sets."""
    if params.get("mode", "default_on") == "default_off":
        return (request_cache_control or {}).get("use-cache") is True
    return True


class ProxyCacheTest(unittest.TestCase):
    def test_without_redis_no_cache_is_built_and_the_proxy_starts(self):
        self.assertIsNone(proxy_cache(WITHOUT_REDIS))

    def test_a_literal_true_would_stop_a_task_without_redis(self):
        # The reason the switch is a reference: the same parameters with cache: true and no REDIS_HOST.
        config = load_yaml(CONFIG)
        self.assertEqual(config["litellm_settings"]["cache"], "os.environ/GATEWAY_REDIS_CACHE")
        params = check_for_os_environ_vars(copy.deepcopy(config), WITHOUT_REDIS)["litellm_settings"]["cache_params"]
        self.assertIsNone(params["host"])

    def test_with_redis_the_cache_uses_the_routers_redis_over_tls(self):
        params = proxy_cache(WITH_REDIS)
        self.assertEqual(params["type"], "redis")
        self.assertEqual(params["host"], "master.cache.internal")
        self.assertEqual(params["port"], "6379")
        self.assertIs(params["ssl"], True)
        router = check_for_os_environ_vars(copy.deepcopy(load_yaml(CONFIG)), WITH_REDIS)["router_settings"]
        self.assertEqual((router["redis_host"], router["redis_port"]), (params["host"], params["port"]))
        self.assertEqual(router["cache_kwargs"]["ssl"], params["ssl"])

    def test_response_caching_is_opt_in_per_request(self):
        params = proxy_cache(WITH_REDIS)
        self.assertFalse(should_use_cache(params, None))
        self.assertFalse(should_use_cache(params, {"no-cache": False}))
        self.assertTrue(should_use_cache(params, {"use-cache": True}))


class AuthCacheTtlTest(unittest.TestCase):
    def test_the_auth_cache_ttl_is_chosen_below_litellms_default(self):
        ttl = load_yaml(CONFIG)["general_settings"]["user_api_key_cache_ttl"]
        self.assertIsInstance(ttl, int)
        self.assertGreater(ttl, 0)
        self.assertLess(ttl, 60)


if __name__ == "__main__":
    unittest.main()
