"""fixtures.py's secret search (leak-check): what it takes out of a secret, where it looks, and one run against moto.
Run: python3 -m unittest discover -s scripts/emulator -p 'test_*.py' -v
"""
import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
import unittest
import urllib.request
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

try:
    import boto3
    from moto.moto_server.threaded_moto_server import ThreadedMotoServer

    import fixtures

    MISSING = None
except ImportError as e:  # pragma: no cover - depends on the machine
    MISSING = str(e)
    if os.environ.get("CI") == "true":
        raise

PASSWORD = "Ab3" * 13 + "x"
HOST = "document-processing-dev-db.cluster-abc.us-east-1.rds.amazonaws.com"


@unittest.skipIf(MISSING, f"boto3/moto are not installed: {MISSING}")
class GeneratedValuesTest(unittest.TestCase):
    def test_url_gives_the_whole_string_and_the_password_with_the_host_as_control(self) -> None:
        url = f"postgresql://litellm:{PASSWORD}@{HOST}:5432/litellm?sslmode=require"
        self.assertEqual(fixtures.generated_values(url), ({url, PASSWORD}, {HOST}))

    def test_json_gives_its_password_and_host(self) -> None:
        doc = json.dumps({"username": "litellm", "password": PASSWORD, "host": HOST})
        self.assertEqual(fixtures.generated_values(doc), ({doc, PASSWORD}, {HOST}))

    def test_short_strings_are_not_searched(self) -> None:
        self.assertEqual(fixtures.generated_values(json.dumps({"username": "admin", "password": "short"}))[0], {'{"username": "admin", "password": "short"}'})
        self.assertEqual(fixtures.generated_values("tiny"), (set(), set()))


@unittest.skipIf(MISSING, f"boto3/moto are not installed: {MISSING}")
class SearchTest(unittest.TestCase):
    def test_finds_plain_and_json_escaped_values(self) -> None:
        value = 'a"quoted"value-that-is-long'
        hits = fixtures.search([value, PASSWORD], [("state", json.dumps({"v": value}).encode()), ("plan", b"nothing here")])
        self.assertEqual(hits, {value: ["state"], PASSWORD: []})

    def test_saved_plans_are_searched_decompressed(self) -> None:
        with tempfile.TemporaryDirectory() as d:
            plan = os.path.join(d, "tfplan")
            with zipfile.ZipFile(plan, "w", compression=zipfile.ZIP_DEFLATED) as z:
                z.writestr("tfstate", json.dumps({"secret_string": PASSWORD}))
            self.assertNotIn(PASSWORD.encode(), open(plan, "rb").read())  # compressed: a raw search would miss it
            hits = fixtures.search([PASSWORD], fixtures.file_contents(plan))
            self.assertEqual(hits[PASSWORD], [f"{plan}!tfstate"])


@unittest.skipIf(MISSING, f"boto3/moto are not installed: {MISSING}")
class LeakCheckAgainstMotoTest(unittest.TestCase):
    def setUp(self) -> None:
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
        self.server.start()
        host, port = self.server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"
        # moto's backends live in this process: start each test from nothing.
        urllib.request.urlopen(urllib.request.Request(f"{self.endpoint}/moto-api/reset", method="POST")).read()
        self.args = argparse.Namespace(endpoint=self.endpoint, region="us-east-1", bucket="state", state_file=[], plan_file=[], exclude_prefix=["fixtures/"])
        kwargs = dict(endpoint_url=self.endpoint, region_name="us-east-1", aws_access_key_id="emulator", aws_secret_access_key="emulator")
        self.sm = boto3.client("secretsmanager", **kwargs)
        self.s3 = boto3.client("s3", **kwargs)
        self.s3.create_bucket(Bucket="state")
        self.s3.put_bucket_versioning(Bucket="state", VersioningConfiguration={"Status": "Enabled"})

    def tearDown(self) -> None:
        self.server.stop()

    def run_check(self) -> dict:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            fixtures.leak_check(self.args)
        return json.loads(out.getvalue())

    def test_every_version_is_read_and_a_value_in_an_old_state_version_is_found(self) -> None:
        self.sm.create_secret(Name="app-dev-database-url", SecretString=f"postgresql://u:{PASSWORD}@{HOST}:5432/db")
        old = "Zz9" * 12
        self.sm.create_secret(Name="app-dev-master-key", SecretString=f"sk-{old}")
        self.sm.put_secret_value(SecretId="app-dev-master-key", SecretString="sk-" + "Qq1" * 16)
        self.sm.create_secret(Name="fixtures/ignored", SecretString="an-existing-secret-not-generated-here")
        self.s3.put_object(Bucket="state", Key="db.tfstate", Body=json.dumps({"leaked": f"sk-{old}", "endpoint": HOST}).encode())
        self.s3.put_object(Bucket="state", Key="db.tfstate", Body=json.dumps({"endpoint": HOST}).encode())
        report = self.run_check()
        self.assertEqual((report["secrets"], report["values"], report["stateFiles"], report["plans"]), (2, 4, 2, 0))
        # Found once: in the first version of the state object, which the second version replaced.
        (where,) = report["found"].values()
        self.assertEqual(len(where), 1)
        self.assertRegex(where[0], r"^s3://state/db\.tfstate\?versionId=")
        self.assertNotIn(old, json.dumps(report["found"]))  # the report describes values, never shows them
        self.assertEqual(report["controls"], {HOST: 2})

    def test_digests_count_versions_and_hash_the_password_inside(self) -> None:
        self.sm.create_secret(Name="app-dev-database-url", SecretString=f"postgresql://u:{PASSWORD}@{HOST}:5432/db")
        self.sm.create_secret(Name="app-dev-db-master-credentials", SecretString=json.dumps({"password": "old-" + PASSWORD}))
        self.sm.put_secret_value(SecretId="app-dev-db-master-credentials", SecretString=json.dumps({"host": HOST, "password": PASSWORD}))
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            fixtures.secret_digests(argparse.Namespace(endpoint=self.endpoint, region="us-east-1", exclude_prefix=[]))
        digests = json.loads(out.getvalue())
        self.assertEqual(digests["app-dev-database-url"]["versions"], 1)
        self.assertEqual(digests["app-dev-db-master-credentials"]["versions"], 2)
        self.assertEqual(digests["app-dev-database-url"]["password"], digests["app-dev-db-master-credentials"]["password"])
        self.assertNotEqual(digests["app-dev-database-url"]["current"], digests["app-dev-db-master-credentials"]["current"])
        self.assertNotIn(PASSWORD, out.getvalue())

    def test_clean_state_reports_nothing_found(self) -> None:
        self.sm.create_secret(Name="app-dev-salt-key", SecretString="Ss7" * 16)
        self.s3.put_object(Bucket="state", Key="db.tfstate", Body=b'{"version": 4}')
        report = self.run_check()
        self.assertEqual((report["values"], report["found"]), (1, {}))


if __name__ == "__main__":
    unittest.main()
