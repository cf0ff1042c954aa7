"""Runs the Dockerfile's own Python checks here, so a broken check fails a test rather than a deploy."""
import os
import platform
import re
import subprocess
import sys
import unittest

DOCKERFILE = os.path.join(os.path.dirname(__file__), "..", "Dockerfile")


def arch_check_source():
    with open(DOCKERFILE, encoding="utf-8") as f:
        text = f.read()
    match = re.search(r'^RUN python3 -c "(.*)"$', text, re.M)
    if not match:
        raise AssertionError("no architecture check (RUN python3 -c ...) in the Dockerfile")
    return match.group(1)


def run_check(expected_arch, target_arch=""):
    source = arch_check_source().replace("${EXPECTED_ARCH}", expected_arch).replace("${TARGETARCH}", target_arch)
    return subprocess.run([sys.executable, "-c", source], capture_output=True, text=True, timeout=30)


HOST = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}[platform.machine().lower()]
OTHER = "arm64" if HOST == "amd64" else "amd64"


class ArchitectureCheckTest(unittest.TestCase):
    def test_passes_when_the_binaries_match_the_expected_architecture(self):
        self.assertEqual(run_check(HOST).returncode, 0)

    def test_falls_back_to_buildkit_targetarch(self):
        self.assertEqual(run_check("", HOST).returncode, 0)

    def test_fails_on_binaries_of_another_architecture(self):
        result = run_check(OTHER)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("expected " + OTHER, result.stderr)

    def test_fails_when_no_architecture_is_known(self):
        result = run_check("", "")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("set EXPECTED_ARCH", result.stderr)


class ReconcilerInImageTest(unittest.TestCase):
    """The gateway task's key-reconciler container runs /app/reconciler/reconcile_keys.py from this image."""

    def test_the_dockerfile_copies_the_reconciler(self):
        with open(DOCKERFILE, encoding="utf-8") as f:
            self.assertRegex(f.read(), r"(?m)^COPY reconciler/ /app/reconciler/$")

    def test_the_build_context_admits_it(self):
        with open(os.path.join(os.path.dirname(DOCKERFILE), ".dockerignore"), encoding="utf-8") as f:
            self.assertIn("!reconciler/reconcile_keys.py", f.read().split())


class ConfigCheckInImageTest(unittest.TestCase):
    """The entrypoint hashes the config before the proxy or the migrator loads it (startup/check_config.py)."""

    def text(self):
        with open(DOCKERFILE, encoding="utf-8") as f:
            return f.read()

    def test_the_entrypoint_is_the_check_then_the_base_entrypoint(self):
        entrypoints = re.findall(r"(?m)^ENTRYPOINT (.*)$", self.text())
        self.assertEqual(entrypoints, ['["python3", "/app/startup/check_config.py", "/app/docker/prod_entrypoint.sh"]'])

    def test_the_build_fails_when_the_base_entrypoint_moved(self):
        self.assertRegex(self.text(), r"(?m)^RUN test -x /app/docker/prod_entrypoint.sh \|\| ")

    def test_the_script_is_copied_and_admitted_by_the_build_context(self):
        self.assertRegex(self.text(), r"(?m)^COPY startup/ /app/startup/$")
        with open(os.path.join(os.path.dirname(DOCKERFILE), ".dockerignore"), encoding="utf-8") as f:
            self.assertIn("!startup/check_config.py", f.read().split())

    def test_the_config_it_checks_is_the_one_the_image_loads(self):
        text = self.text()
        self.assertRegex(text, r"(?m)^COPY config/litellm_config.yaml /app/config.yaml$")
        self.assertRegex(text, r'(?m)^CMD \["--config", "/app/config.yaml",')


COMPOSE = os.path.join(os.path.dirname(__file__), "..", "docker-compose.yaml")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


class HealthAndPortsTest(unittest.TestCase):
    """One health decision everywhere: the proxy's own port 4000; no separate health app (docs/gateway-runtime.md)."""

    def test_no_separate_health_app_and_only_the_proxy_port(self):
        text = read(DOCKERFILE)
        self.assertNotRegex(text, r"(?m)^\s*ENV[^#]*SEPARATE_HEALTH")
        self.assertNotRegex(text, r"(?m)^\s+SEPARATE_HEALTH")
        self.assertRegex(text, r"(?m)^EXPOSE 4000$")
        self.assertNotIn("8001", text)

    def test_healthcheck_probes_the_proxy_and_fails_when_it_is_down(self):
        text = read(DOCKERFILE)
        match = re.search(r'CMD \["python3", "-c", "(.*)"\]$', text[text.index("HEALTHCHECK"):], re.M)
        self.assertIsNotNone(match)
        probe = match.group(1)
        self.assertIn("http://localhost:4000/health/liveliness", probe)
        closed = probe.replace("localhost:4000", "127.0.0.1:1")
        result = subprocess.run([sys.executable, "-c", closed], capture_output=True, text=True, timeout=30)
        self.assertNotEqual(result.returncode, 0)

    def test_compose_follows_the_same_decision(self):
        text = read(COMPOSE)
        self.assertNotIn("8001", text)
        self.assertNotIn("SEPARATE_HEALTH", text)
        self.assertIn("localhost:4000/health/liveliness", text)
        # The proxy waits for the migrate service, as the ECS proxy container waits for the migration container.
        self.assertIn("--skip_server_startup", text)
        self.assertIn("service_completed_successfully", text)
        self.assertIn('DISABLE_SCHEMA_UPDATE: "true"', text)


if __name__ == "__main__":
    unittest.main()


IMAGE_DIR = os.path.dirname(DOCKERFILE)

# Loads each callback as the proxy does (get_instance_fn, litellm/proxy/types_utils/utils.py): by file path from the
# config's directory, under its dotted name, then the named attribute. Run in a fresh interpreter, so nothing this
# test process imported (or its sys.path) can stand in for a file the image lacks.
_LOAD_LIKE_THE_PROXY = """
import importlib.util, os, sys
config_dir, value = sys.argv[1], sys.argv[2]
module_name, instance_name = value.rsplit(".", 1)
path = os.path.join(config_dir, *module_name.split(".")) + ".py"
spec = importlib.util.spec_from_file_location(module_name, path)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
getattr(module, instance_name)
"""


def admitted_files():
    """What the allow-list .dockerignore lets into the build context (only `*` and `!path` lines are used)."""
    lines = [line.strip() for line in read(os.path.join(IMAGE_DIR, ".dockerignore")).splitlines()]
    return {line[1:] for line in lines if line.startswith("!")}


def configured_callbacks():
    from tests.test_guardrail_config import CONFIG, load_yaml

    return load_yaml(CONFIG)["litellm_settings"]["callbacks"]


class CallbacksInImageTest(unittest.TestCase):
    """Every callback the config names loads from what the image holds: its file and the modules it imports."""

    def test_the_dockerfile_copies_the_callbacks_directory(self):
        self.assertRegex(read(DOCKERFILE), r"(?m)^COPY callbacks/ /app/callbacks/$")

    def test_each_configured_callback_loads_from_the_admitted_files_alone(self):
        import shutil
        import tempfile

        admitted = admitted_files()
        with tempfile.TemporaryDirectory() as app:
            # /app as the Dockerfile lays it out: config.yaml beside the callbacks/ the context admits.
            os.makedirs(os.path.join(app, "callbacks"))
            for name in sorted(os.listdir(os.path.join(IMAGE_DIR, "callbacks"))):
                if f"callbacks/{name}" in admitted:
                    shutil.copy(os.path.join(IMAGE_DIR, "callbacks", name), os.path.join(app, "callbacks", name))
            for value in configured_callbacks():
                with self.subTest(callback=value):
                    result = subprocess.run(
                        [sys.executable, "-I", "-c", _LOAD_LIKE_THE_PROXY, app, value],
                        capture_output=True, text=True, timeout=60, cwd=app,
                    )
                    self.assertEqual(result.returncode, 0, result.stderr)

    def test_the_callbacks_share_one_base_class(self):
        import importlib.util

        bases = []
        for module_name in ("metrics_logger", "request_metadata"):
            path = os.path.join(IMAGE_DIR, "callbacks", f"{module_name}.py")
            spec = importlib.util.spec_from_file_location(f"callbacks.{module_name}", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            bases.append(module.CustomLogger)
        self.assertIs(bases[0], bases[1])
