"""The image's entrypoint: refuse to start on a LiteLLM config other than the one the deployment was derived from.

IAM (the Bedrock model ARNs), alarms and dashboards are synthesized from the repository's
gateway-image/config/litellm_config.yaml, and the task definition carries the sha256 of those bytes as
LITELLM_CONFIG_SHA256. An image built from another commit carries another copy: a model in it that IAM does not
allow would only fail at its first completion. Here the mismatch fails the container start instead, with one log
line naming both hashes. Unset (a local `docker compose up`), nothing is compared.

Usage (the Dockerfile's ENTRYPOINT): check_config.py <base image entrypoint> [litellm arguments ...]
After the check it execs the base entrypoint with the arguments unchanged, so the proxy stays the container's main
process and receives SIGTERM itself. Standard library only: it runs before anything else in the image.
"""
import datetime
import hashlib
import json
import os
import re
import sys

EXPECTED_ENV = "LITELLM_CONFIG_SHA256"
LOGGER = "config-check"
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
# What to do about a mismatch: the two ways to make the image's config and the repository's the same bytes.
REMEDY = (
    "rebuild the image from the commit being deployed (or use gateway.image.mode \"build\"), or make the repository's "
    "gateway-image/config/litellm_config.yaml a copy of the image's {path} and synthesize again"
)


def config_path(args, environ):
    """The file LiteLLM will load: its --config/-c option (click keeps the last one given), else CONFIG_FILE_PATH."""
    path = None
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("--config", "-c"):
            if i + 1 < len(args):
                path = args[i + 1]
            i += 2
            continue
        if arg.startswith("--config="):
            path = arg[len("--config="):]
        elif arg.startswith("-c") and not arg.startswith("--") and len(arg) > 2:
            path = arg[2:]
        i += 1
    return path or environ.get("CONFIG_FILE_PATH") or None


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(65536), b""):
            digest.update(block)
    return digest.hexdigest()


def check(args, environ):
    """(ok, level, message) for the config the arguments name, against LITELLM_CONFIG_SHA256."""
    path = config_path(args, environ)
    expected = environ.get(EXPECTED_ENV)
    if expected is None:
        seen = ""
        if path is not None:
            try:
                seen = f" (sha256 {file_sha256(path)})"
            except OSError:
                pass
        return True, "INFO", f"{EXPECTED_ENV} is unset: not comparing {path or 'the config'}{seen} with a deployment's catalogue"
    if not SHA256_HEX.match(expected):
        return False, "ERROR", (
            f"{EXPECTED_ENV}={json.dumps(expected)} is not a sha256 (64 lowercase hex digits); the task definition sets it "
            "from the synthesized catalogue. Refusing to start."
        )
    bucket = environ.get("LITELLM_CONFIG_BUCKET_NAME")
    if bucket:
        return False, "ERROR", (
            f"LITELLM_CONFIG_BUCKET_NAME={json.dumps(bucket)}: LiteLLM would load its config from that bucket, which this "
            f"check cannot hash against {EXPECTED_ENV}={expected}. Unset LITELLM_CONFIG_BUCKET_NAME to use the image's "
            "config. Refusing to start."
        )
    if path is None:
        return False, "ERROR", (
            f"no --config argument and no CONFIG_FILE_PATH: LiteLLM would start without the catalogue {EXPECTED_ENV}={expected} "
            "describes. Refusing to start."
        )
    try:
        actual = file_sha256(path)
    except OSError as error:
        return False, "ERROR", f"cannot read the config {path} to compare with {EXPECTED_ENV}={expected}: {error}. Refusing to start."
    if actual != expected:
        return False, "ERROR", (
            f"config drift: {path} in this image has sha256 {actual}, but the task expects {EXPECTED_ENV}={expected} (the "
            "repository's catalogue, from which IAM, alarms and dashboards were synthesized). Refusing to start: "
            + REMEDY.format(path=path)
            + "."
        )
    return True, "INFO", f"{path} matches {EXPECTED_ENV}={expected}"


def log_line(level, message, environ):
    """One line. JSON when JSON_LOGS is set, as LiteLLM's own lines then are (bool(os.getenv("JSON_LOGS")) in
    litellm/_logging.py): the observability stack's ApplicationErrors filter counts lines whose level is ERROR."""
    if environ.get("JSON_LOGS"):
        return json.dumps({
            "message": message,
            "level": level,
            "timestamp": datetime.datetime.now(datetime.timezone.utc).isoformat(),
            "logger": LOGGER,
        })
    return f"{LOGGER}: {level}: {message}"


def main(argv, environ=None):
    environ = os.environ if environ is None else environ
    if not argv:
        print(log_line("ERROR", "usage: check_config.py <entrypoint> [arguments ...]; no entrypoint to start", environ), file=sys.stderr, flush=True)
        return 2
    ok, level, message = check(argv[1:], environ)
    print(log_line(level, message, environ), file=sys.stderr, flush=True)
    if not ok:
        return 1
    try:
        os.execv(argv[0], argv)
    except OSError as error:
        print(log_line("ERROR", f"cannot start {argv[0]}: {error}", environ), file=sys.stderr, flush=True)
        return 127
    return 0  # not reached: execv replaced this process


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
