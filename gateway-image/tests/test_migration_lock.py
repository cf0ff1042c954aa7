"""startup/migration_lock.py: the migrate container's entrypoint holds a PostgreSQL advisory lock around LiteLLM.

The protocol client is checked against RFC 7677's SCRAM-SHA-256 example, and the lock against a real PostgreSQL
server started for the test when its binaries are on this machine (initdb, postgres; skipped otherwise): TLS with
SCRAM, MD5, a wrong password, two migrators at once, and a migrator killed while it holds the lock.

Run from the repository root:
    python3 -m unittest discover -s gateway-image/tests -t gateway-image
"""

import ast
import base64
import json
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

IMAGE_DIR = Path(__file__).resolve().parent.parent
SCRIPT = IMAGE_DIR / "startup" / "migration_lock.py"
sys.path.insert(0, str(IMAGE_DIR / "startup"))
import migration_lock  # noqa: E402


def log_lines(stderr):
    return [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]


class StandardLibraryOnlyTest(unittest.TestCase):
    def test_imports_only_the_standard_library(self):
        tree = ast.parse(SCRIPT.read_text(encoding="utf-8"))
        names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        self.assertEqual(sorted(names - set(sys.stdlib_module_names)), [])


class InTheImageTest(unittest.TestCase):
    def test_the_build_context_admits_it_and_compose_migrates_under_it(self):
        self.assertIn("!startup/migration_lock.py", (IMAGE_DIR / ".dockerignore").read_text(encoding="utf-8").split())
        compose = (IMAGE_DIR / "docker-compose.yaml").read_text(encoding="utf-8")
        self.assertIn('entrypoint: ["python3", "/app/startup/migration_lock.py", "python3", "/app/startup/check_config.py", '
                      '"/app/docker/prod_entrypoint.sh"]', compose)


class ScramTest(unittest.TestCase):
    def test_rfc_7677_example(self):
        # RFC 7677, section 3: user "user", password "pencil".
        scram = migration_lock.Scram("pencil", nonce="rOprNGfwEbeRWgbNEkqO", user="user")
        self.assertEqual(scram.client_first(), b"n,,n=user,r=rOprNGfwEbeRWgbNEkqO")
        server_first = b"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
        self.assertEqual(
            scram.client_final(server_first),
            b"c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
        )
        scram.verify_server(b"v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
        with self.assertRaises(migration_lock.LockUnavailable):
            scram.verify_server(b"v=" + base64.b64encode(b"\0" * 32))

    def test_a_server_nonce_that_does_not_extend_ours_is_refused(self):
        scram = migration_lock.Scram("pencil", nonce="abc")
        with self.assertRaises(migration_lock.LockUnavailable):
            scram.client_final(b"r=xyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")


class DatabaseUrlTest(unittest.TestCase):
    def test_the_gateway_url_shape(self):
        # stacks/database-stack.ts: postgresql://<user>:<password>@<writer endpoint>:5432/<db>?sslmode=require
        self.assertEqual(
            migration_lock.parse_database_url("postgresql://litellm:p%40ss@db.cluster-x.us-east-1.rds.amazonaws.com:5432/litellm?sslmode=require"),
            ("db.cluster-x.us-east-1.rds.amazonaws.com", 5432, "litellm", "p@ss", "litellm", "require"),
        )

    def test_defaults_port_5432_database_user_and_sslmode_prefer(self):
        self.assertEqual(migration_lock.parse_database_url("postgres://u:p@h"), ("h", 5432, "u", "p", "u", "prefer"))

    def test_not_a_postgresql_url(self):
        for url in ("mysql://u:p@h/db", "postgresql://h/db"):
            with self.assertRaises(migration_lock.LockUnavailable):
                migration_lock.parse_database_url(url)


def run_wrapper(command, database_url, timeout=60):
    env = dict(os.environ, DATABASE_URL=database_url) if database_url is not None else {
        k: v for k, v in os.environ.items() if k != "DATABASE_URL"
    }
    return subprocess.run([sys.executable, str(SCRIPT), *command], env=env, capture_output=True, text=True, timeout=timeout)


class WithoutTheLockTest(unittest.TestCase):
    """The lock narrows a race; when it cannot be taken the migration runs as before, with one ERROR line."""

    def test_no_database_url(self):
        result = run_wrapper(["sh", "-c", "exit 5"], None)
        self.assertEqual(result.returncode, 5)
        (line,) = log_lines(result.stderr)
        self.assertEqual(line["level"], "ERROR")
        self.assertIn("DATABASE_URL is not set", line["message"])

    def test_database_unreachable(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]  # closed once the block ends: nothing listens there
        result = run_wrapper(["sh", "-c", "echo ran"], f"postgresql://u:p@127.0.0.1:{port}/db?sslmode=require")
        self.assertEqual((result.returncode, result.stdout), (0, "ran\n"))
        self.assertEqual([line["level"] for line in log_lines(result.stderr)], ["ERROR"])

    def test_usage(self):
        result = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=30)
        self.assertEqual(result.returncode, 2)


def find_postgres():
    """initdb and postgres on PATH, else in Debian's /usr/lib/postgresql/<major>/bin (not on PATH by default)."""
    found = [shutil.which(name) for name in ("initdb", "postgres")]
    if all(found):
        return found[0], found[1]
    for bindir in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        initdb, postgres = os.path.join(bindir, "initdb"), os.path.join(bindir, "postgres")
        if os.access(initdb, os.X_OK) and os.access(postgres, os.X_OK):
            return initdb, postgres
    return None


def unavailable(reason):
    """A missing server is a loud skip on a developer's machine and a failure under CI=true, never a silent pass."""
    if os.environ.get("CI") == "true":
        raise AssertionError(f"{reason}: under CI=true this is a failure, not a skip")
    raise unittest.SkipTest(reason)


class PostgresServer:
    """A throw-away PostgreSQL cluster on 127.0.0.1: TLS (self-signed), SCRAM for `tester`, MD5 for `md5user`."""

    def __init__(self):
        binaries = find_postgres()
        if binaries is None or shutil.which("openssl") is None:
            unavailable("no PostgreSQL server binaries (initdb, postgres) or openssl on this machine")
        self.initdb, self.postgres = binaries
        self.dir = tempfile.mkdtemp(prefix="migration-lock-pg-")
        self.data = os.path.join(self.dir, "data")
        self.process = None
        # PostgreSQL refuses to run as root: run it as nobody then.
        self.prefix = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 and shutil.which("runuser") else []
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]

    def _as_owner(self, argv, **kwargs):
        return subprocess.run(self.prefix + argv, capture_output=True, text=True, timeout=120, **kwargs)

    def start(self):
        if self.prefix:
            shutil.chown(self.dir, user="nobody")
        pwfile = os.path.join(self.dir, "pw")
        Path(pwfile).write_text("secret-pw\n", encoding="utf-8")
        if self.prefix:
            shutil.chown(pwfile, user="nobody")
        init = self._as_owner([self.initdb, "-D", self.data, "-U", "tester", f"--pwfile={pwfile}", "--auth=scram-sha-256"])
        if init.returncode != 0:
            unavailable(f"initdb failed: {init.stderr[-300:]}")
        key, crt = os.path.join(self.data, "server.key"), os.path.join(self.data, "server.crt")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", crt,
                        "-days", "1", "-subj", "/CN=localhost"], capture_output=True, check=True, timeout=60)
        os.chmod(key, 0o600)
        if self.prefix:
            shutil.chown(key, user="nobody")
            shutil.chown(crt, user="nobody")
        hba = Path(self.data, "pg_hba.conf")
        hba.write_text("host all md5user 127.0.0.1/32 md5\n" + hba.read_text(encoding="utf-8"), encoding="utf-8")
        self.process = subprocess.Popen(
            self.prefix + [self.postgres, "-D", self.data, "-p", str(self.port), "-k", self.dir,
                           "-c", "listen_addresses=127.0.0.1", "-c", "ssl=on"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                conn = migration_lock.Connection.open("127.0.0.1", self.port, "tester", "secret-pw", "postgres", "require")
                conn.query("SET password_encryption = 'md5'; CREATE ROLE md5user LOGIN PASSWORD 'md5-pw'")
                conn.close()
                return self
            except (OSError, migration_lock.LockUnavailable):
                if self.process.poll() is not None:
                    unavailable(f"postgres did not start: {self.process.stderr.read()[-300:]!r}")
                time.sleep(0.3)
        unavailable("postgres did not accept connections within 30 s")

    def url(self, user="tester", password="secret-pw", sslmode="require"):
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/postgres?sslmode={sslmode}"

    def stop(self):
        if self.process is not None:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGINT)  # fast shutdown; the group reaches postgres under runuser
                try:
                    self.process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(self.process.pid, signal.SIGKILL)
                    self.process.wait(timeout=30)
            self.process.stderr.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class RealPostgresTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = PostgresServer()
        try:
            cls.server.start()
        except BaseException:
            cls.server.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def record(self, marker, seconds):
        """A command that appends its start and end time to marker, taking `seconds`."""
        return ["sh", "-c", f'echo "start $(date +%s.%N)" >> {marker}; sleep {seconds}; echo "end $(date +%s.%N)" >> {marker}']

    def test_tls_and_scram_the_lock_is_taken_and_released(self):
        result = run_wrapper(["sh", "-c", "exit 4"], self.server.url())
        self.assertEqual(result.returncode, 4)
        self.assertEqual([line["message"] for line in log_lines(result.stderr)],
                         ["waiting for the migration lock", "migration lock acquired", "migration lock released"])

    def test_md5_password(self):
        result = run_wrapper(["true"], self.server.url(user="md5user", password="md5-pw", sslmode="disable"))
        self.assertEqual(result.returncode, 0)
        self.assertIn("migration lock acquired", [line["message"] for line in log_lines(result.stderr)])

    def test_a_wrong_password_migrates_without_the_lock(self):
        result = run_wrapper(["sh", "-c", "echo ran"], self.server.url(password="wrong"))
        self.assertEqual((result.returncode, result.stdout), (0, "ran\n"))
        (line,) = log_lines(result.stderr)
        self.assertEqual(line["level"], "ERROR")
        self.assertIn("28P01", line["message"])

    def test_two_migrators_at_once_run_one_after_the_other(self):
        with tempfile.TemporaryDirectory() as d:
            marker = os.path.join(d, "runs")
            env = dict(os.environ, DATABASE_URL=self.server.url())
            procs = [subprocess.Popen([sys.executable, str(SCRIPT), *self.record(marker, 2)], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(2)]
            outputs = [p.communicate(timeout=60)[1] for p in procs]
            self.assertEqual([p.returncode for p in procs], [0, 0])
            events = [line.split() for line in Path(marker).read_text(encoding="utf-8").splitlines()]
            # Strictly alternating: start, end, start, end; never two starts in a row.
            self.assertEqual([kind for kind, _ in events], ["start", "end", "start", "end"])
            self.assertLessEqual(float(events[1][1]), float(events[2][1]))
            waited = sorted(next(line["waited_seconds"] for line in log_lines(err) if line["message"] == "migration lock acquired")
                            for err in outputs)
            self.assertLess(waited[0], 1.0)
            self.assertGreaterEqual(waited[1], 1.5)

    def test_a_migrator_killed_while_holding_the_lock_releases_it(self):
        env = dict(os.environ, DATABASE_URL=self.server.url())
        holder = subprocess.Popen([sys.executable, str(SCRIPT), "sleep", "30"], env=env, start_new_session=True,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 20
            acquired = False
            while not acquired and time.monotonic() < deadline:
                line = holder.stderr.readline()
                acquired = "migration lock acquired" in line
            self.assertTrue(acquired)
        finally:
            os.killpg(holder.pid, signal.SIGKILL)  # the container stops: wrapper and command die, the connection drops
            holder.wait(timeout=30)
            holder.stderr.close()
        started = time.monotonic()
        result = run_wrapper(["true"], self.server.url(), timeout=60)
        self.assertEqual(result.returncode, 0)
        self.assertLess(time.monotonic() - started, 20)


if __name__ == "__main__":
    unittest.main()
