"""fixtures.py state-leaks: finds a secret's value in a state object or file, and reports none when it is absent."""
import contextlib
import importlib.util
import io
import json
import os
import tempfile
import unittest
from types import SimpleNamespace

import boto3
from moto import mock_aws

_spec = importlib.util.spec_from_file_location("fixtures", os.path.join(os.path.dirname(__file__), "fixtures.py"))
fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixtures)

VALUE = "sk-" + "Q" * 48


@mock_aws
class StateLeaksTest(unittest.TestCase):
    def setUp(self) -> None:
        os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
        self.sm = boto3.client("secretsmanager", region_name="us-east-1")
        self.s3 = boto3.client("s3", region_name="us-east-1")
        self.s3.create_bucket(Bucket="state")
        self.s3.put_bucket_versioning(Bucket="state", VersioningConfiguration={"Status": "Enabled"})
        self.sm.create_secret(Name="app-dev-agent-key-supervisor", SecretString=VALUE)
        self.sm.create_secret(Name="app-dev/other", SecretString="not checked")

    def run_check(self, state_files=()):
        args = SimpleNamespace(endpoint=None, region="us-east-1", secret_prefix="app-dev-agent-key-", bucket="state", state_file=list(state_files))
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            self.assertEqual(fixtures.state_leaks(args), 0)
        self.assertNotIn(VALUE, out.getvalue())
        return json.loads(out.getvalue())

    def test_clean_state(self) -> None:
        self.s3.put_object(Bucket="state", Key="app/dev/gateway.tfstate", Body=b'{"resources": [{"secret_string_wo": null}]}')
        self.assertEqual(self.run_check(), {"checked": 1, "files": 1, "leaks": []})

    def test_a_value_in_an_older_state_version_or_a_local_file_is_a_leak(self) -> None:
        self.s3.put_object(Bucket="state", Key="app/dev/gateway.tfstate", Body=json.dumps({"secret_string": VALUE}).encode())
        self.s3.put_object(Bucket="state", Key="app/dev/gateway.tfstate", Body=b"{}")
        with tempfile.NamedTemporaryFile("w", suffix=".tfstate", delete=False) as f:
            f.write(VALUE)
        self.addCleanup(os.unlink, f.name)
        result = self.run_check([f.name])
        self.assertEqual(result["files"], 3)
        self.assertEqual(sorted(l["file"].split("?")[0] for l in result["leaks"]), sorted(["s3://state/app/dev/gateway.tfstate", f.name]))


if __name__ == "__main__":
    unittest.main()
