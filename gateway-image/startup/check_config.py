"""The image's entrypoint: refuse to start on a LiteLLM config other than the one the deployment was derived from.

IAM (the Bedrock model ARNs), alarms and dashboards are synthesized from the repository's
gateway-image/config/litellm_config.yaml, and the task definition carries the sha256 of those bytes as
LITELLM_CONFIG_SHA256. An image built from another commit carries another copy: a model in it that IAM does not
allow would only fail at its first completion. Here the mismatch fails the container start instead, with one log
line naming both hashes. Unset (a local `docker compose up`), nothing is compared.

Usage (the Dockerfile's ENTRYPOINT): check_config.py <base image entrypoint> [litellm arguments ...]
After the check it execs the base entrypoint with the arguments unchanged, so the proxy stays the container's main
process and receives SIGTERM itself. Standard library only: it runs before anything else in the image.

gateway.costAttribution: with LITELLM_AGENT_ROUTING set (JSON {"model_list": [...], "router_settings": {...}}, the
agents' own deployments on their application inference profiles; modules/gateway/cost-attribution.ts writes it), the
checked config is not changed: two JSON files are written beside it (JSON is YAML, which LiteLLM loads with
yaml.safe_load), and the config argument points at the first:
  config.agent-routing.json  {"include": ["<checked config>", "agent-routing.json"]}
  agent-routing.json         the variable's value
LiteLLM's `include` (ProxyConfig._process_includes, litellm/proxy/proxy_server.py) loads each file in order, extends
a list the config already has (model_list: the baked deployments, then the agents') and replaces any other key
(router_settings: the catalogue's, with the agents' fallbacks). Beside the checked config because the proxy finds the
callbacks relative to the config file's directory (get_instance_fn, litellm/proxy/types_utils/utils.py).
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
ROUTING_ENV = "LITELLM_AGENT_ROUTING"
ROUTED_CONFIG = "config.agent-routing.json"
ROUTING_FILE = "agent-routing.json"
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


def routing_problems(routing):
    """What is wrong with LITELLM_AGENT_ROUTING's parsed value (empty when nothing): LiteLLM's field names."""
    if not isinstance(routing, dict):
        return [f"expected an object with model_list and router_settings; got {type(routing).__name__}"]
    problems = [f"unknown key {json.dumps(k)} (allowed: model_list, router_settings)" for k in sorted(set(routing) - {"model_list", "router_settings"})]
    models = routing.get("model_list")
    if not isinstance(models, list) or not models:
        problems.append("model_list: expected a non-empty list of deployments")
        models = []
    for i, entry in enumerate(models):
        params = entry.get("litellm_params") if isinstance(entry, dict) else None
        if not isinstance(entry, dict) or not isinstance(entry.get("model_name"), str) or not entry["model_name"]:
            problems.append(f"model_list[{i}].model_name: expected a non-empty string")
        if not isinstance(params, dict) or not isinstance(params.get("model"), str) or not isinstance(params.get("model_id"), str):
            problems.append(f"model_list[{i}].litellm_params: expected model and model_id strings")
    if not isinstance(routing.get("router_settings"), dict):
        problems.append("router_settings: expected an object (the catalogue's, which it replaces)")
    return problems


def route_agents(args, environ, config):
    """(args, None) with the config argument on the routed config when LITELLM_AGENT_ROUTING is set, else (args, None)
    unchanged; (None, message) when the variable is malformed or the files cannot be written."""
    raw = environ.get(ROUTING_ENV)
    if not raw:
        return args, None
    try:
        routing = json.loads(raw)
    except ValueError as error:
        return None, f"{ROUTING_ENV} is not JSON ({error}). Refusing to start."
    problems = routing_problems(routing)
    if problems:
        return None, f"{ROUTING_ENV}: " + "; ".join(problems) + ". Refusing to start."
    directory = os.path.dirname(os.path.abspath(config))
    routed = os.path.join(directory, ROUTED_CONFIG)
    try:
        with open(os.path.join(directory, ROUTING_FILE), "w") as f:
            json.dump(routing, f)
        with open(routed, "w") as f:
            json.dump({"include": [os.path.basename(config), ROUTING_FILE]}, f)
    except OSError as error:
        return None, f"cannot write the agents' routing beside {config}: {error}. Refusing to start."
    return with_config(args, routed), None


def with_config(args, path):
    """`args` with its config option (the last one, as click keeps it) on `path`, or `--config path` appended."""
    out = list(args)
    last = None
    i = 0
    while i < len(out):
        arg = out[i]
        if arg in ("--config", "-c") and i + 1 < len(out):
            last = ("pair", i + 1)
            i += 2
            continue
        if arg.startswith("--config=") or (arg.startswith("-c") and not arg.startswith("--") and len(arg) > 2):
            last = ("joined", i)
        i += 1
    if last is None:
        return out + ["--config", path]
    kind, index = last
    out[index] = path if kind == "pair" else ("--config=" + path)
    return out


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
    config = config_path(argv[1:], environ)
    if environ.get(ROUTING_ENV):
        if config is None:
            print(log_line("ERROR", f"{ROUTING_ENV} is set but there is no config to add it to. Refusing to start.", environ), file=sys.stderr, flush=True)
            return 1
        routed, error = route_agents(argv[1:], environ, config)
        if error is not None:
            print(log_line("ERROR", error, environ), file=sys.stderr, flush=True)
            return 1
        argv = [argv[0], *routed]
        print(log_line("INFO", f"agents' routing ({ROUTING_ENV}) added: {config_path(routed, environ)} includes {config} and {ROUTING_FILE}", environ), file=sys.stderr, flush=True)
    try:
        os.execv(argv[0], argv)
    except OSError as error:
        print(log_line("ERROR", f"cannot start {argv[0]}: {error}", environ), file=sys.stderr, flush=True)
        return 127
    return 0  # not reached: execv replaced this process


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
