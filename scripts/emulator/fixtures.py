#!/usr/bin/env python3
"""Creates, through the emulator's API, what the emulator profile expects to exist before the stacks are applied:
the four Secrets Manager secrets of `database.existingSecrets` (a central security team's secrets in production).

Prints one JSON object on stdout: {"databaseUrlArn": ..., "masterKeyArn": ..., "saltKeyArn": ...,
"uiCredentialsArn": ...} (the keys of ExistingSecretsConfig). The values are fixed dummies: moto runs no container
and no database reads them.

boto3 is a dependency of moto, so it is there wherever the emulator is.
"""
import argparse
import json
import sys

import boto3


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True, help="the emulator, e.g. http://127.0.0.1:PORT")
    parser.add_argument("--region", required=True)
    parser.add_argument("--prefix", required=True, help="secret name prefix, e.g. document-processing-dev/emulator")
    args = parser.parse_args()

    client = boto3.client(
        "secretsmanager",
        endpoint_url=args.endpoint,
        region_name=args.region,
        aws_access_key_id="emulator",
        aws_secret_access_key="emulator",
    )
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
            arns[key] = client.create_secret(Name=full_name, SecretString=value)["ARN"]
        except client.exceptions.ResourceExistsException:
            arns[key] = client.describe_secret(SecretId=full_name)["ARN"]
    print(json.dumps(arns))
    return 0


if __name__ == "__main__":
    sys.exit(main())
