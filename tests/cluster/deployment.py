"""The cluster of deploy/, started on loopback for tests/cluster: a database and a role of
its own on the PostgreSQL server the suite uses (127.0.0.1:5432, or FORUM_TEST_DATABASE_URL's
server), dropped at the end; PgBouncer in transaction mode in front of it; a Redis server and
an SMTP server of its own; two gunicorns of two workers each; nginx with a self-signed
certificate. Every process is started by its own PID and stopped at the end, also when a
test fails. The files are deploy/'s (tests/cluster/deploy_files.py says how their addresses
are changed).
"""

from __future__ import annotations

import email
import os
import secrets
import ssl
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg
from aiosmtpd.controller import Controller
from sqlalchemy import make_url

from forum import create_app
from tests.cluster.deploy_files import DEPLOY, PROJECT, installed
from tests.processes import Process, free_port, run

PASSWORD = "tidal-otter-quartz-4821"
SECRET_KEY = secrets.token_urlsafe(48)
RUN_AS_ROOT = os.geteuid() == 0
# Debian's programs, where tests/programs.sh makes them present (the same variables).
NGINX = os.environ.get("FORUM_TEST_NGINX", "/usr/sbin/nginx")
PGBOUNCER = os.environ.get("FORUM_TEST_PGBOUNCER", "/usr/sbin/pgbouncer")
REDIS_SERVER = os.environ.get("FORUM_TEST_REDIS_SERVER", "/usr/bin/redis-server")
OPENSSL = os.environ.get("FORUM_TEST_OPENSSL", "/usr/bin/openssl")


class Mailbox:
    """aiosmtpd's handler: keeps every message it is given."""

    def __init__(self):
        self.messages: list[email.message.Message] = []
        self.recipients: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        self.recipients.extend(envelope.rcpt_tos)
        return "250 OK"


@dataclass
class Cluster:
    workdir: Path
    server_url: str  # PostgreSQL, the suite's server, as its superuser
    role: str
    database: str
    direct_url: str  # PostgreSQL itself, as the forum's role
    via_pgbouncer_url: str
    pgbouncer_port: int
    app_ports: tuple[int, int]
    http_port: int
    https_port: int
    tls_context: ssl.SSLContext
    environment: dict[str, str]
    mailbox: Mailbox
    processes: dict[str, Process] = field(default_factory=dict)

    def app_url(self, server: int) -> str:
        return f"http://127.0.0.1:{self.app_ports[server]}"

    @property
    def site_url(self) -> str:
        return f"https://localhost:{self.https_port}"

    def logs(self) -> str:
        return "\n".join(
            f"--- {name} ---\n{process.log()}" for name, process in self.processes.items()
        )

    def flask(self, *arguments: str, stdin: str = "", direct: bool = False) -> str:
        environment = dict(self.environment)
        if direct:
            environment["DATABASE_URL"] = self.direct_url
        return run(
            [sys.executable, "-m", "flask", "--app", "forum", *arguments],
            what="flask " + " ".join(arguments),
            cwd=PROJECT,
            env=environment,
            input=stdin,
        )

    def start_pgbouncer(self) -> None:
        process = Process(
            "pgbouncer",
            [PGBOUNCER, str(self.workdir / "pgbouncer" / "pgbouncer.ini")],
            self.workdir / "pgbouncer" / "pgbouncer.out",
        ).start()
        self.processes["pgbouncer"] = process
        process.wait_for_port(self.pgbouncer_port)


def _environment_file(values: dict[str, str]) -> dict[str, str]:
    """deploy/forum.env.example read as systemd's EnvironmentFile= would, with the values an
    operator sets per host replaced: each named variable must be in the file."""
    settings = {}
    for line in (DEPLOY / "forum.env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            settings[name.strip()] = value.strip()
    missing = set(values) - set(settings)
    assert not missing, f"deploy/forum.env.example no longer sets {sorted(missing)}"
    return {**settings, **values}


def _server_url() -> str:
    configured = os.environ.get("FORUM_TEST_DATABASE_URL")
    url = make_url(configured) if configured else make_url("postgresql://postgres@127.0.0.1:5432")
    return url.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )


def _admin(server_url: str, *statements: str) -> list[tuple]:
    with psycopg.connect(server_url, autocommit=True) as connection:
        rows: list[tuple] = []
        for statement in statements:
            cursor = connection.execute(statement)
            if cursor.description:
                rows = cursor.fetchall()
        return rows


def _self_signed_certificate(folder: Path) -> ssl.SSLContext:
    folder.mkdir()
    run(
        [
            OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
            "-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem"),
        ],
        what="openssl req",
    )  # fmt: skip
    return ssl.create_default_context(cafile=str(folder / "fullchain.pem"))


def _nginx_main_configuration(cluster: Cluster, site: Path) -> str:
    """The test's own nginx.conf around deploy/'s site (Debian's would write to /var/log)."""
    temporary = cluster.workdir / "nginx-temp"
    temporary.mkdir(mode=0o777)
    temporary.chmod(0o777)  # nginx's workers (nobody, when started as root) write there
    paths = "\n".join(
        f"    {kind}_temp_path {temporary / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""
{"user nobody nogroup;" if RUN_AS_ROOT else ""}
daemon off;
worker_processes 1;
pid {cluster.workdir / "nginx.pid"};
error_log stderr info;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log {cluster.workdir / "nginx-access.log"};
{paths}
    # The test's only addition: which app server answered.
    add_header X-Upstream-Address $upstream_addr always;
    include {site};
}}
"""


def _start(cluster: Cluster, static_folder: str) -> None:
    workdir = cluster.workdir
    processes = cluster.processes

    redis_port = int(cluster.environment["REDIS_URL"].rsplit(":", 1)[1].split("/")[0])
    processes["redis"] = Process(
        "redis",
        [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(redis_port), "--save", "",
         "--appendonly", "no", "--logfile", ""],
        workdir / "redis.log",
    ).start()  # fmt: skip
    processes["redis"].wait_for_port(redis_port)

    # The forum's role and database, as docs/operations.md has the operator make them.
    _admin(
        cluster.server_url,
        f"CREATE ROLE {cluster.role} LOGIN PASSWORD '{PASSWORD}'",
        f"CREATE DATABASE {cluster.database} OWNER {cluster.role}",
    )
    [(secret,)] = _admin(
        cluster.server_url, f"SELECT rolpassword FROM pg_authid WHERE rolname = '{cluster.role}'"
    )
    server = make_url(cluster.server_url)
    bouncer = workdir / "pgbouncer"
    bouncer.mkdir()
    (bouncer / "userlist.txt").write_text(f'"{cluster.role}" "{secret}"\n')
    (bouncer / "pgbouncer.ini").write_text(
        installed(
            "pgbouncer/pgbouncer.ini",
            [
                (
                    "forum = host=127.0.0.1 port=5432 dbname=forum",
                    f"forum = host={server.host} port={server.port or 5432} "
                    f"dbname={cluster.database}",
                ),
                ("listen_addr = 10.0.0.10", "listen_addr = 127.0.0.1"),
                ("listen_port = 6432", f"listen_port = {cluster.pgbouncer_port}"),
                ("unix_socket_dir = /var/run/postgresql", f"unix_socket_dir = {bouncer}"),
                ("logfile = /var/log/postgresql/pgbouncer.log", "logfile ="),  # stderr only
                ("pidfile = /var/run/postgresql/pgbouncer.pid", f"pidfile = {bouncer}/pid"),
                ("auth_file = /etc/pgbouncer/userlist.txt", f"auth_file = {bouncer}/userlist.txt"),
                # Started as root it becomes postgres; as anyone else it stays who it is.
                *([] if RUN_AS_ROOT else [("user = postgres", ";user = postgres")]),
            ],
        )
    )
    if RUN_AS_ROOT:
        run(["chown", "-R", "postgres", str(bouncer)], what="chown")
    cluster.start_pgbouncer()

    # Migrations once, straight to PostgreSQL (forum-migrate.service).
    cluster.flask("db", "upgrade", direct=True)

    for server, port in enumerate(cluster.app_ports):
        name = f"gunicorn{server + 1}"
        processes[name] = Process(
            name,
            [sys.executable, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py"),
             # Its default path is shared by every gunicorn of the user.
             "--no-control-socket", "forum:create_app()"],
            workdir / f"{name}.log",
            cwd=PROJECT,
            env={
                **cluster.environment,
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                "FORUM_INSTANCE_PATH": str(workdir / f"instance{server + 1}"),
            },
        ).start()  # fmt: skip
    # While the workers load the app: an account through the CLI, and through PgBouncer.
    cluster.flask(
        "create-user", "--email", "member@cluster.example", "--name", "Clara Cluster",
        "--role", "member", "--password-stdin", stdin=PASSWORD + "\n",
    )  # fmt: skip
    for server, port in enumerate(cluster.app_ports):
        processes[f"gunicorn{server + 1}"].wait_for_port(port, seconds=60)
        _wait_until_serving(cluster, server)

    site = workdir / "forum.conf"
    site.write_text(
        installed(
            "nginx/forum.conf",
            [
                ("server 10.0.0.11:8000;", f"server 127.0.0.1:{cluster.app_ports[0]};"),
                ("server 10.0.0.12:8000;", f"server 127.0.0.1:{cluster.app_ports[1]};"),
                ("listen 80;", f"listen 127.0.0.1:{cluster.http_port};"),
                ("listen 443 ssl http2;", f"listen 127.0.0.1:{cluster.https_port} ssl http2;"),
                ("/etc/letsencrypt/live/forum.example.org/", f"{workdir / 'tls'}/"),
                ("forum.example.org", "localhost"),
                ("/opt/forum/static/", static_folder.rstrip("/") + "/"),
            ],
        )
    )
    main = workdir / "nginx.conf"
    main.write_text(_nginx_main_configuration(cluster, site))
    run([NGINX, "-t", "-e", "stderr", "-c", str(main)], what="nginx -t")
    processes["nginx"] = Process(
        "nginx",
        [NGINX, "-e", "stderr", "-c", str(main)],
        workdir / "nginx.log",
    ).start()
    processes["nginx"].wait_for_port(cluster.https_port)


def _wait_until_serving(cluster: Cluster, server: int) -> None:
    """gunicorn listens before its workers have loaded the app (seconds each)."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(cluster.app_url(server) + "/login", timeout=30).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    name = f"gunicorn{server + 1}"
    raise AssertionError(f"{name} did not serve /login:\n{cluster.processes[name].log()}")


def _drop(cluster: Cluster) -> None:
    _admin(
        cluster.server_url,
        f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{cluster.database}' AND pid <> pg_backend_pid()",
        f"DROP DATABASE IF EXISTS {cluster.database}",
        f"DROP ROLE IF EXISTS {cluster.role}",
    )


@contextmanager
def running_cluster() -> Iterator[Cluster]:
    """The cluster, started; stopped and its database dropped when the block ends."""
    workdir = Path(tempfile.mkdtemp(prefix="forum-cluster-"))
    workdir.chmod(0o755)  # nginx's and PgBouncer's own users read their files there
    name = f"forum_cluster_{secrets.token_hex(4)}"
    ports = {key: free_port() for key in ("pgbouncer", "app1", "app2", "http", "https", "redis")}
    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    via_pgbouncer = f"postgresql://{name}:{PASSWORD}@127.0.0.1:{ports['pgbouncer']}/forum"
    server = make_url(_server_url())
    cluster = Cluster(
        workdir=workdir,
        server_url=_server_url(),
        role=name,
        database=name,
        direct_url=f"postgresql://{name}:{PASSWORD}@{server.host}:{server.port or 5432}/{name}",
        via_pgbouncer_url=via_pgbouncer,
        pgbouncer_port=ports["pgbouncer"],
        app_ports=(ports["app1"], ports["app2"]),
        http_port=ports["http"],
        https_port=ports["https"],
        tls_context=_self_signed_certificate(workdir / "tls"),
        environment={
            **{k: v for k, v in os.environ.items() if not k.startswith("FORUM_TEST_")},
            **_environment_file(
                {
                    "SECRET_KEY": SECRET_KEY,
                    "DATABASE_URL": via_pgbouncer,
                    "REDIS_URL": f"redis://127.0.0.1:{ports['redis']}/0",
                    "PUBLIC_BASE_URL": f"https://localhost:{ports['https']}",
                    "WEB_CONCURRENCY": "2",
                    "FORUM_INSTANCE_PATH": str(workdir / "instance"),
                    "ATTACHMENTS_DIR": str(workdir / "attachments"),
                    "MAIL_SERVER": "127.0.0.1",
                    "MAIL_PORT": str(smtp.port),
                    "MAIL_SECURITY": "none",
                    "MAIL_USERNAME": "",
                    "MAIL_PASSWORD": "",
                }
            ),
            # Low, to reach it in a few requests; and the page cache on (its default).
            "RATELIMIT_LOGIN": "5 per minute",
            "PAGE_CACHE_SECONDS": "60",
        },
        mailbox=mailbox,
    )
    static_folder = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).static_folder
    smtp.start()
    try:
        _start(cluster, static_folder)
        yield cluster
    except BaseException:
        print(cluster.logs())  # a start that failed, or a check that did
        raise
    finally:
        for process in reversed(list(cluster.processes.values())):
            process.stop()
        smtp.stop()
        _drop(cluster)
