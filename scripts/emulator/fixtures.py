#!/usr/bin/env python3
"""What the emulator tier does through the emulator's API outside Terraform, as an operator would around a deploy.

  secrets       Creates the four Secrets Manager secrets of `database.existingSecrets` (a central security team's
                secrets in production) and prints one JSON object: {"databaseUrlArn": ..., "masterKeyArn": ...,
                "saltKeyArn": ..., "uiCredentialsArn": ...} (the keys of ExistingSecretsConfig). The values are
                dummies: moto runs no container and no database reads them.
  unprotect     Turns deletion protection off on RDS clusters/instances and load balancers before a destroy, as an
                operator does when decommissioning an environment (AWS, and moto, refuse to delete them otherwise).
  empty-bucket  Deletes every object version and delete marker of a bucket: the state bucket keeps the (versioned)
                state files of the destroyed stacks, and the bootstrap stack deliberately has no force_destroy, so
                the bucket must be emptied before the bootstrap stack can be destroyed.
  leak-check    Reads every version of every secret in the emulator (GetSecretValue: what Terraform wrote), takes
                the generated values out of them (the whole string, the password of a postgresql:// URL, the
                "password" of a JSON object), and searches for each one in every version of every object of the
                state bucket and in the local files given (state files; saved plans, whose zip members are searched
                decompressed; `terraform show -json` renderings). Prints the counts and every hit. A control value
                that must be in the state (the database host) proves that the search reads what it should.
  secret-digests
                For each secret (fixtures excluded): its number of versions and SHA-256 digests of its current value
                and of the password inside it (URL or JSON "password"; else the whole value). Digests only, so that
                a rotation can be checked without printing a secret.
  cluster-password-digests
                SHA-256 digests of each RDS cluster's master password, from moto_launcher.py's own route (AWS never
                returns a master password): compared with the secrets' password digests, it shows that the cluster
                and the secrets carrying its password agree.

boto3 is a dependency of moto, so it is there wherever the emulator is.
"""
import argparse
import hashlib
import json
import sys
import urllib.parse
import urllib.request
import zipfile
from typing import Dict, Iterable, List, Set, Tuple

import boto3


def client(service: str, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    return boto3.client(
        service,
        endpoint_url=args.endpoint,
        region_name=args.region,
        aws_access_key_id="emulator",
        aws_secret_access_key="emulator",
    )


def create_secrets(args: argparse.Namespace) -> int:
    sm = client("secretsmanager", args)
    secrets = {
        "databaseUrlArn": ("database-url", "postgresql://litellm:emulator@db.invalid:5432/litellm"),
        "masterKeyArn": ("master-key", "sk-emulator-master-key"),
        "saltKeyArn": ("salt-key", "sk-emulator-salt-key"),
        "uiCredentialsArn": ("ui-credentials", json.dumps({"username": "admin", "password": "emulator"})),
    }
    arns = {}
    for key, (name, value) in secrets.items():
        full_name = f"{args.prefix}/{name}"
        try:
            arns[key] = sm.create_secret(Name=full_name, SecretString=value)["ARN"]
        except sm.exceptions.ResourceExistsException:
            arns[key] = sm.describe_secret(SecretId=full_name)["ARN"]
    print(json.dumps(arns))
    return 0


def empty_bucket(args: argparse.Namespace) -> int:
    s3 = client("s3", args)
    deleted = 0
    try:
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=args.bucket):
            for item in page.get("Versions", []) + page.get("DeleteMarkers", []):
                s3.delete_object(Bucket=args.bucket, Key=item["Key"], VersionId=item["VersionId"])
                deleted += 1
    except s3.exceptions.NoSuchBucket:
        pass  # never created (an earlier step failed): nothing to empty
    print(json.dumps({"deleted": deleted}))
    return 0


def unprotect(args: argparse.Namespace) -> int:
    """Turns deletion protection off, as the runbook does before destroying an environment."""
    rds = client("rds", args)
    for cluster in args.rds_cluster or []:
        rds.modify_db_cluster(DBClusterIdentifier=cluster, DeletionProtection=False, ApplyImmediately=True)
    for instance in args.rds_instance or []:
        rds.modify_db_instance(DBInstanceIdentifier=instance, DeletionProtection=False, ApplyImmediately=True)
    elbv2 = client("elbv2", args)
    for arn in args.load_balancer or []:
        elbv2.modify_load_balancer_attributes(
            LoadBalancerArn=arn, Attributes=[{"Key": "deletion_protection.enabled", "Value": "false"}]
        )
    print(json.dumps({"unprotected": (args.rds_cluster or []) + (args.rds_instance or []) + (args.load_balancer or [])}))
    return 0


def generated_values(secret_string: str) -> Tuple[Set[str], Set[str]]:
    """The values a generator made inside one secret string, and the non-secret controls found beside them."""
    values = {secret_string}
    controls: Set[str] = set()
    if secret_string.startswith("postgresql://"):
        url = urllib.parse.urlsplit(secret_string)
        if url.password:
            values.add(urllib.parse.unquote(url.password))
        if url.hostname:
            controls.add(url.hostname)
    else:
        try:
            doc = json.loads(secret_string)
        except ValueError:
            doc = None
        if isinstance(doc, dict):
            if isinstance(doc.get("password"), str):
                values.add(doc["password"])
            if isinstance(doc.get("host"), str):
                controls.add(doc["host"])
    # Short strings (a JSON "admin") would match anywhere; generated values are 32 characters or more.
    return {v for v in values if len(v) >= 16}, controls


def file_contents(path: str) -> Iterable[Tuple[str, bytes]]:
    """A file's bytes, or for a zip archive (a saved plan) each member's, decompressed."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                yield f"{path}!{name}", archive.read(name)
    else:
        with open(path, "rb") as f:
            yield path, f.read()


def search(values: Iterable[str], documents: Iterable[Tuple[str, bytes]]) -> Dict[str, List[str]]:
    """For each value, the documents that contain it (as text, or JSON-escaped as state and plans write strings)."""
    needles = {v: (v.encode(), json.dumps(v)[1:-1].encode()) for v in values}
    hits: Dict[str, List[str]] = {v: [] for v in needles}
    for where, data in documents:
        for value, forms in needles.items():
            if any(form in data for form in forms):
                hits[value].append(where)
    return hits


def leak_check(args: argparse.Namespace) -> int:
    sm = client("secretsmanager", args)
    values: Set[str] = set()
    controls: Set[str] = set()
    secrets = 0
    for page in sm.get_paginator("list_secrets").paginate():
        for secret in page["SecretList"]:
            if any(secret["Name"].startswith(p) for p in args.exclude_prefix or []):
                continue
            secrets += 1
            for version in sm.list_secret_version_ids(SecretId=secret["ARN"], IncludeDeprecated=True)["Versions"]:
                value = sm.get_secret_value(SecretId=secret["ARN"], VersionId=version["VersionId"]).get("SecretString")
                if value:
                    found, control = generated_values(value)
                    values |= found
                    controls |= control

    documents: List[Tuple[str, bytes]] = []
    s3 = client("s3", args)
    state_objects = 0
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=args.bucket):
        for item in page.get("Versions", []):
            body = s3.get_object(Bucket=args.bucket, Key=item["Key"], VersionId=item["VersionId"])["Body"].read()
            documents.append((f"s3://{args.bucket}/{item['Key']}?versionId={item['VersionId']}", body))
            state_objects += 1
    for path in args.state_file or []:
        documents.extend(file_contents(path))
    plan_documents: List[Tuple[str, bytes]] = []
    for path in args.plan_file or []:
        plan_documents.extend(file_contents(path))

    hits = search(values, documents + plan_documents)
    control_hits = search(controls, documents)
    print(json.dumps({
        "secrets": secrets,
        "values": len(values),
        "stateFiles": state_objects + len(args.state_file or []),
        "plans": len(args.plan_file or []),
        "found": {f"value #{i + 1} ({len(v)} characters)": where for i, (v, where) in enumerate(sorted(hits.items())) if where},
        "controls": {c: len(where) for c, where in control_hits.items()},
    }))
    return 0


def password_of(secret_string: str) -> str:
    """The password inside a postgresql:// URL or a JSON object with "password"; else the whole string."""
    if secret_string.startswith("postgresql://"):
        return urllib.parse.unquote(urllib.parse.urlsplit(secret_string).password or "")
    try:
        doc = json.loads(secret_string)
    except ValueError:
        return secret_string
    return doc["password"] if isinstance(doc, dict) and isinstance(doc.get("password"), str) else secret_string


def secret_digests(args: argparse.Namespace) -> int:
    sm = client("secretsmanager", args)
    digest = lambda text: hashlib.sha256(text.encode()).hexdigest()  # noqa: E731
    out = {}
    for page in sm.get_paginator("list_secrets").paginate():
        for secret in page["SecretList"]:
            if any(secret["Name"].startswith(p) for p in args.exclude_prefix or []):
                continue
            versions = sm.list_secret_version_ids(SecretId=secret["ARN"], IncludeDeprecated=True)["Versions"]
            current = sm.get_secret_value(SecretId=secret["ARN"]).get("SecretString", "")
            out[secret["Name"]] = {"versions": len(versions), "current": digest(current), "password": digest(password_of(current))}
    print(json.dumps(out))
    return 0


def cluster_password_digests(args: argparse.Namespace) -> int:
    with urllib.request.urlopen(f"{args.endpoint}/_emulator/rds-cluster-password-digests", timeout=30) as answer:
        print(json.dumps(json.loads(answer.read())))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoint", required=True, help="the emulator, e.g. http://127.0.0.1:PORT")
    parser.add_argument("--region", required=True)
    commands = parser.add_subparsers(dest="command", required=True)
    secrets = commands.add_parser("secrets")
    secrets.add_argument("--prefix", required=True, help="secret name prefix, e.g. document-processing-dev/fixtures")
    bucket = commands.add_parser("empty-bucket")
    bucket.add_argument("--bucket", required=True)
    protected = commands.add_parser("unprotect")
    protected.add_argument("--rds-cluster", action="append", help="DBClusterIdentifier")
    protected.add_argument("--rds-instance", action="append", help="DBInstanceIdentifier")
    protected.add_argument("--load-balancer", action="append", help="load balancer ARN")
    leaks = commands.add_parser("leak-check")
    leaks.add_argument("--bucket", required=True, help="the state bucket")
    leaks.add_argument("--state-file", action="append", help="a local state file")
    leaks.add_argument("--plan-file", action="append", help="a saved plan, or its terraform show -json rendering")
    leaks.add_argument("--exclude-prefix", action="append", help="secret names not generated by the stacks (fixtures)")
    digests = commands.add_parser("secret-digests")
    digests.add_argument("--exclude-prefix", action="append", help="secret names not generated by the stacks (fixtures)")
    commands.add_parser("cluster-password-digests")
    args = parser.parse_args()
    commands_by_name = {
        "cluster-password-digests": cluster_password_digests,
        "secrets": create_secrets,
        "empty-bucket": empty_bucket,
        "unprotect": unprotect,
        "leak-check": leak_check,
        "secret-digests": secret_digests,
    }
    return commands_by_name[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
