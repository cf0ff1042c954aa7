"""Runs startup/check_config.py as the image's ENTRYPOINT does, with a stand-in for the base image's entrypoint.

Run from the repository root:
    python3 -m unittest discover -s gateway-image/tests -t gateway-image
"""

import ast
import hashlib
import json
import os
import stat
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

IMAGE_DIR = Path(__file__).resolve().parent.parent
SCRIPT = IMAGE_DIR / "startup" / "check_config.py"
REPO_CONFIG = IMAGE_DIR / "config" / "litellm_config.yaml"


def sha256(data):
    return hashlib.sha256(data).hexdigest()


class Harness(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        root = Path(self.dir.name)
        self.config = root / "config.yaml"
        self.config.write_bytes(REPO_CONFIG.read_bytes())
        self.ran = root / "ran"
        # Stands in for docker/prod_entrypoint.sh: records that it ran and with which arguments.
        self.entrypoint = root / "prod_entrypoint.sh"
        self.entrypoint.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{self.ran}"\nexit 7\n', encoding="utf-8")
        self.entrypoint.chmod(self.entrypoint.stat().st_mode | stat.S_IXUSR)

    def run_entrypoint(self, args=None, env=None, entrypoint=None):
        args = ["--config", str(self.config), "--port", "4000"] if args is None else args
        environ = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        environ.update(env or {})
        return subprocess.run(
            [sys.executable, str(SCRIPT), str(entrypoint or self.entrypoint), *args],
            env=environ,
            capture_output=True,
            text=True,
            timeout=30,
        )

    def forwarded(self):
        return self.ran.read_text(encoding="utf-8").splitlines() if self.ran.exists() else None

    def one_line(self, result):
        lines = result.stderr.splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        return lines[0]


class MatchingConfig(Harness):
    def test_execs_the_base_entrypoint_with_the_arguments_unchanged(self):
        expected = sha256(self.config.read_bytes())
        result = self.run_entrypoint(env={"LITELLM_CONFIG_SHA256": expected})
        # The stand-in's own exit status: the script replaced itself with it.
        self.assertEqual(result.returncode, 7, result.stderr)
        self.assertEqual(self.forwarded(), ["--config", str(self.config), "--port", "4000"])
        self.assertIn(f"matches LITELLM_CONFIG_SHA256={expected}", self.one_line(result))

    def test_the_migration_command_is_checked_the_same_way(self):
        args = ["--config", str(self.config), "--skip_server_startup"]
        result = self.run_entrypoint(args, env={"LITELLM_CONFIG_SHA256": sha256(self.config.read_bytes())})
        self.assertEqual(result.returncode, 7, result.stderr)
        self.assertEqual(self.forwarded(), args)


class DriftedConfig(Harness):
    def test_another_catalogue_stops_the_start_with_one_line_naming_both_hashes_and_the_remedy(self):
        expected = sha256(REPO_CONFIG.read_bytes())
        # The image built from another commit: its copy of the catalogue differs by one line.
        drifted = REPO_CONFIG.read_bytes() + b"# built from another commit\n"
        self.config.write_bytes(drifted)
        result = self.run_entrypoint(env={"LITELLM_CONFIG_SHA256": expected})
        self.assertEqual(result.returncode, 1)
        self.assertIsNone(self.forwarded(), "the proxy must not start")
        line = self.one_line(result)
        self.assertIn(f"{self.config} in this image has sha256 {sha256(drifted)}", line)
        self.assertIn(f"LITELLM_CONFIG_SHA256={expected}", line)
        self.assertIn("rebuild the image from the commit being deployed", line)
        self.assertIn("gateway-image/config/litellm_config.yaml a copy of the image's", line)
        self.assertIn("ERROR", line)

    def test_with_json_logs_the_line_is_json_at_level_error_for_the_application_errors_filter(self):
        self.config.write_bytes(b"model_list: []\n")
        expected = sha256(REPO_CONFIG.read_bytes())
        result = self.run_entrypoint(env={"LITELLM_CONFIG_SHA256": expected, "JSON_LOGS": "True"})
        self.assertEqual(result.returncode, 1)
        record = json.loads(self.one_line(result))
        self.assertEqual(record["level"], "ERROR")
        self.assertEqual(record["logger"], "config-check")
        self.assertIn(expected, record["message"])
        self.assertIn(sha256(b"model_list: []\n"), record["message"])

    def test_a_line_ending_change_is_drift_too(self):
        # The synth hashes bytes: a CRLF checkout on one side and LF on the other are different catalogues here.
        expected = sha256(self.config.read_bytes())
        self.config.write_bytes(self.config.read_bytes().replace(b"\n", b"\r\n"))
        result = self.run_entrypoint(env={"LITELLM_CONFIG_SHA256": expected})
        self.assertEqual(result.returncode, 1)
        self.assertIsNone(self.forwarded())


class Unset(Harness):
    def test_unset_skips_the_comparison_with_a_log_line_and_starts(self):
        result = self.run_entrypoint()
        self.assertEqual(result.returncode, 7, result.stderr)
        self.assertEqual(self.forwarded(), ["--config", str(self.config), "--port", "4000"])
        line = self.one_line(result)
        self.assertIn("LITELLM_CONFIG_SHA256 is unset: not comparing", line)
        self.assertIn(sha256(self.config.read_bytes()), line, "the hash is logged, to compare by hand")
        self.assertIn("INFO", line)

    def test_unset_and_no_readable_config_still_starts(self):
        result = self.run_entrypoint(["--config", str(self.config) + ".missing"])
        self.assertEqual(result.returncode, 7, result.stderr)


class RefusedSetups(Harness):
    def expect_refusal(self, result, *fragments):
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIsNone(self.forwarded(), "the proxy must not start")
        line = self.one_line(result)
        for fragment in fragments:
            self.assertIn(fragment, line)

    def test_a_value_that_is_not_a_sha256(self):
        for value in ["", "abc", sha256(b"x").upper(), " " + sha256(b"x")]:
            with self.subTest(value=value):
                self.expect_refusal(self.run_entrypoint(env={"LITELLM_CONFIG_SHA256": value}), "is not a sha256")

    def test_no_config_to_hash(self):
        result = self.run_entrypoint(["--port", "4000"], env={"LITELLM_CONFIG_SHA256": sha256(b"x")})
        self.expect_refusal(result, "no --config argument and no CONFIG_FILE_PATH")

    def test_an_unreadable_config_names_its_path(self):
        missing = str(self.config) + ".missing"
        result = self.run_entrypoint(["--config", missing], env={"LITELLM_CONFIG_SHA256": sha256(b"x")})
        self.expect_refusal(result, f"cannot read the config {missing}")

    def test_a_config_from_a_bucket_cannot_be_vouched_for(self):
        env = {"LITELLM_CONFIG_SHA256": sha256(self.config.read_bytes()), "LITELLM_CONFIG_BUCKET_NAME": "configs"}
        self.expect_refusal(self.run_entrypoint(env=env), 'LITELLM_CONFIG_BUCKET_NAME="configs"')

    def test_a_missing_base_entrypoint_is_a_clear_failure(self):
        env = {"LITELLM_CONFIG_SHA256": sha256(self.config.read_bytes())}
        result = self.run_entrypoint(env=env, entrypoint=Path(self.dir.name) / "absent.sh")
        self.assertEqual(result.returncode, 127)
        self.assertIn("cannot start", result.stderr.splitlines()[-1])


class WhichConfig(Harness):
    """The file hashed is the file LiteLLM loads: --config/-c (last one wins, as with click), else CONFIG_FILE_PATH."""

    def setUp(self):
        super().setUp()
        self.other = Path(self.dir.name) / "other.yaml"
        self.other.write_bytes(b"model_list: [other]\n")
        self.env = {"LITELLM_CONFIG_SHA256": sha256(self.other.read_bytes())}

    def test_option_spellings(self):
        for args in (
            ["--config", str(self.other)],
            [f"--config={self.other}"],
            ["-c", str(self.other)],
            [f"-c{self.other}"],
            ["--config", str(self.config), "--port", "4000", "--config", str(self.other)],
        ):
            with self.subTest(args=args):
                result = self.run_entrypoint(args, env=self.env)
                self.assertEqual(result.returncode, 7, result.stderr)

    def test_config_file_path_when_no_option(self):
        result = self.run_entrypoint(["--port", "4000"], env={**self.env, "CONFIG_FILE_PATH": str(self.other)})
        self.assertEqual(result.returncode, 7, result.stderr)

    def test_the_option_wins_over_config_file_path(self):
        env = {**self.env, "CONFIG_FILE_PATH": str(self.other)}
        result = self.run_entrypoint(["--config", str(self.config)], env=env)
        self.assertEqual(result.returncode, 1)


class StandardLibraryOnly(unittest.TestCase):
    def test_imports_only_the_standard_library(self):
        tree = ast.parse(SCRIPT.read_text(encoding="utf-8"))
        modules = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        modules |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
        self.assertTrue(modules)
        self.assertEqual(modules - set(sys.stdlib_module_names), set())


if __name__ == "__main__":
    unittest.main()
