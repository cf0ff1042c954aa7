#!/usr/bin/env python3
"""What the emulator tier does through the emulator's API outside Terraform, as an operator would around a deploy.

  secrets       Creates the four Secrets Manager secrets of `database.existingSecrets` (a central security team's
                secrets in production) and prints one JSON object: {"databaseUrlArn": ..., "masterKeyArn": ...,
                "saltKeyArn": ..., "uiCredentialsArn": ...} (the keys of ExistingSecretsConfig). The values are
                dummies: moto runs no container and no database reads them.
  unprotect     Turns deletion protection off on RDS clusters/instances and load balancers before a destroy, as an
                operator does when decommissioning an environment (AWS, and moto, refuse to delete them otherwise).
  state-leaks   Reads the value of every secret whose name starts with --secret-prefix (the agents' keys, generated
                write-only) and looks for each value in every object of the state bucket and in the given local
                state files. Prints {"checked": n, "files": m, "leaks": [{"secret": name, "file": where}]}: a
                write-only value must never be found; the values themselves are never printed.
  empty-bucket  Deletes every object version and delete marker of a bucket: the state bucket keeps the (versioned)
                state files of the destroyed stacks, and the bootstrap stack deliberately has no force_destroy, so
                the bucket must be emptied before the bootstrap stack can be destroyed.

boto3 is a dependency of moto, so it is there wherever the emulator is.
"""
import argparse
import json
import sys

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


def state_leaks(args: argparse.Namespace) -> int:
    sm = client("secretsmanager", args)
    values = {}
    for page in sm.get_paginator("list_secrets").paginate():
        for entry in page.get("SecretList", []):
            if entry["Name"].startswith(args.secret_prefix):
                value = sm.get_secret_value(SecretId=entry["ARN"]).get("SecretString")
                if value:
                    values[entry["Name"]] = value
    files = {}
    s3 = client("s3", args)
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=args.bucket):
        for item in page.get("Versions", []):
            body = s3.get_object(Bucket=args.bucket, Key=item["Key"], VersionId=item["VersionId"])["Body"].read()
            files[f"s3://{args.bucket}/{item['Key']}?versionId={item['VersionId']}"] = body.decode("utf-8", "replace")
    for path in args.state_file or []:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                files[path] = f.read()
        except FileNotFoundError:
            pass
    leaks = [{"secret": name, "file": where} for name, value in values.items() for where, text in files.items() if value in text]
    print(json.dumps({"checked": len(values), "files": len(files), "leaks": leaks}))
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoint", required=True, help="the emulator, e.g. http://127.0.0.1:PORT")
    parser.add_argument("--region", required=True)
    commands = parser.add_subparsers(dest="command", required=True)
    secrets = commands.add_parser("secrets")
    secrets.add_argument("--prefix", required=True, help="secret name prefix, e.g. document-processing-dev/fixtures")
    leaks = commands.add_parser("state-leaks")
    leaks.add_argument("--secret-prefix", required=True, help="names of the secrets whose values must not be in state")
    leaks.add_argument("--bucket", required=True, help="the state bucket")
    leaks.add_argument("--state-file", action="append", help="a local state file to search too")
    bucket = commands.add_parser("empty-bucket")
    bucket.add_argument("--bucket", required=True)
    protected = commands.add_parser("unprotect")
    protected.add_argument("--rds-cluster", action="append", help="DBClusterIdentifier")
    protected.add_argument("--rds-instance", action="append", help="DBInstanceIdentifier")
    protected.add_argument("--load-balancer", action="append", help="load balancer ARN")
    args = parser.parse_args()
    return {"secrets": create_secrets, "state-leaks": state_leaks, "empty-bucket": empty_bucket, "unprotect": unprotect}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
