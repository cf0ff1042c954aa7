"""LiteLLM's callback base class for every module in this directory, declared once.

Inside the proxy it is ``litellm.integrations.custom_logger.CustomLogger``; without LiteLLM (the unit tests, the
metric-line contract test) a stand-in with the part of its surface the callbacks use, so the modules load and
their hooks run unchanged.

The callback modules are loaded by LiteLLM from their file path, outside any package
(``get_instance_fn``, ``litellm/proxy/types_utils/utils.py``), so a relative import has no package to resolve
against: each of them appends its own directory to ``sys.path`` and imports ``callback_base``. The Dockerfile copies
the whole directory; ``.dockerignore``, an allow-list, names this file (``gateway-image/tests/test_dockerfile.py``).
"""

from __future__ import annotations

from typing import Any

try:
    from litellm.integrations.custom_logger import CustomLogger
except Exception:  # noqa: BLE001 - any import failure means "not inside the proxy"

    class CustomLogger:  # type: ignore[no-redef]
        """Stand-in with the base-class surface the callbacks use, for tests without LiteLLM."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pass


__all__ = ["CustomLogger"]
