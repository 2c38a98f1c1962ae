"""`make run`: the whole portal on 127.0.0.1, running the unchanged handlers.

Start order: DynamoDB Local (child JVM) and moto (thread) -> user pool, bootstrap admin, mail
sender -> every table/bucket/queue/rule from the topologies -> one function host process
per service -> gateways, SQS pollers, stream pollers, mailbox, web server (the built SPA)
-> demo data -> endpoints.json.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any, ClassVar

from pydantic import Field

from common.jwt import JwtVerifier
from common.settings import EnvSettings, load_settings
from common.topology import EDGE_REGION, Schedule, ServiceTopology
from infra.browser import cors_policy, spa_config
from infra.local import aws, readiness, resources
from infra.local.cdn import CdnServer, SignedUrlGate, TrustedKeys
from infra.local.cognito import Login, UserPool, create_bootstrap_admin, create_user_pool
from infra.local.demo import DemoContext, run_demo
from infra.local.gateway import (
    REQUEST_LOG,
    GatewayServer,
    IngestGateway,
    ServiceGateway,
    UsagePlanGate,
)
from infra.local.invoke import REGION, FunctionSpec, HttpInvoker
from infra.local.mailbox import MailboxServer
from infra.local.malware_scan import SCANNER_QUEUE, LocalMalwareScanner, scanner_notification
from infra.local.ports import PORTS_TAKEN_EXIT, PortBlockLock, Ports, PortTaken, port_is_free
from infra.local.push_service import PushServer
from infra.local.scheduler import LocalScheduler, PlayedSchedule
from infra.local.sqs_poller import SqsPoller
from infra.local.stream_poller import StreamPoller
from infra.local.supervisor import HostSupervisor
from infra.local.web import WebServer, WebSite, security_headers

REPO = Path(__file__).resolve().parents[2]
STAGE = "local"
MAIL_SENDER = "no-reply@scts.local"
PLATFORM = "platform"
RELAY_FUNCTION = "outbox-relay"
RELAY_HANDLER = "common.relay_handler.handler"
ENDPOINTS_FILE = "endpoints.json"
REQUESTS_LOG = "requests.log"
"""In .local/logs/: one JSON line per request any local API answered."""
WEB_DIST = REPO / "web" / "dist"

log = logging.getLogger("scts.local")


class LocalSettings(EnvSettings):
    """How the runtime itself is configured (SCTS_LOCAL_* variables)."""

    env_prefix: ClassVar[str] = "SCTS_LOCAL_"

    base_port: int = Field(default=8700, ge=1024, le=65000)
    state_dir: Path = REPO / ".local"
    demo: bool = True
    dynamodb_endpoint: str | None = None
    """Use this running DynamoDB (empty of SCTS tables) instead of starting DynamoDB Local:
    `bench/faults.py` puts a gate between the runtime and it to make it unavailable."""


def package_version() -> str:
    try:
        return metadata.version("scts-portal")
    except metadata.PackageNotFoundError:
        return "0.0.0"


def git_commit() -> str:
    try:
        answer = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - developer tool on PATH
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return answer.stdout.strip() or "unknown"


def usage_plan_gate(
    topology: ServiceTopology, apigateway: Any, usage_plan_ids: dict[str, str]
) -> UsagePlanGate | None:
    """The ingest gateway's check of the service's usage plan (created by `provision`)."""
    plan = topology.publisher_usage_plan
    if plan is None:
        return None
    return UsagePlanGate(
        apigateway,
        usage_plan_ids[topology.service],
        rate_limit=plan.rate_limit,
        burst_limit=plan.burst_limit,
    )


def local_service_environment(service: str, push_origin: str) -> dict[str, str]:
    """What only the local runtime tells a service: notifications may also push to the
    loopback push service (in the cloud only the public push services are allowed)."""
    if service == "notifications":
        return {"SCTS_EXTRA_PUSH_ORIGINS": push_origin}
    return {}


def function_name(service: str, function: str) -> str:
    return f"scts-{STAGE}-{service}-{function}"


@dataclass
class Runtime:
    settings: LocalSettings
    topologies: tuple[ServiceTopology, ...]
    stop_event: threading.Event = field(default_factory=threading.Event)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    servers: list[Any] = field(default_factory=list)
    threads: list[threading.Thread] = field(default_factory=list)
    moto: aws.Moto | None = None
    supervisor: HostSupervisor | None = None
    owns_state_dir: bool = False
    port_lock: PortBlockLock | None = None

    @property
    def ports(self) -> Ports:
        return Ports(self.settings.base_port, len(self.topologies))

    @property
    def state_dir(self) -> Path:
        return self.settings.state_dir

    def refuse_if_running(self) -> None:
        """Another live runtime owns this state dir: do not touch its files."""
        pid_file = self.state_dir / "runtime.pid"
        try:
            pid = int(pid_file.read_text().strip())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (OSError, ValueError):
            return  # no pid file, or its process is gone (e.g. killed with -9)
        if pid != os.getpid() and b"infra.local" in cmdline:
            raise SystemExit(f"a local runtime (pid {pid}) already uses {self.state_dir}")

    def prepare_state_dir(self) -> None:
        """A fresh .local/ every start: nothing from a killed run survives."""
        self.owns_state_dir = True
        self.state_dir.mkdir(parents=True, exist_ok=True)
        (self.state_dir / ENDPOINTS_FILE).unlink(missing_ok=True)
        shutil.rmtree(self.state_dir / "logs", ignore_errors=True)
        (self.state_dir / "logs").mkdir()
        (self.state_dir / "runtime.pid").write_text(f"{os.getpid()}\n")
        self.log_requests(self.state_dir / "logs" / REQUESTS_LOG)

    def log_requests(self, path: Path) -> None:
        """Every API request as one JSON line (request id, method, path, status) in `path`."""
        handler = logging.FileHandler(path)
        handler.setFormatter(logging.Formatter("%(message)s"))
        REQUEST_LOG.handlers = [handler]
        REQUEST_LOG.setLevel(logging.INFO)
        REQUEST_LOG.propagate = False

    def wait_for_free_ports(self, timeout: float = 15) -> None:
        """A killed run's children die with it, but may need a moment to let go."""
        deadline = time.monotonic() + timeout
        busy = self.ports.all()
        while busy:
            busy = [p for p in busy if not port_is_free(p)]
            if not busy:
                return
            if time.monotonic() > deadline:
                raise PortTaken(busy[0])
            time.sleep(0.3)

    def hold_ports(self) -> None:
        """This block of ports is ours until the process ends (see ports.py)."""
        self.port_lock = PortBlockLock(self.ports.base)
        self.port_lock.acquire()
        self.wait_for_free_ports()

    def start(self) -> dict[str, Any]:
        started = time.monotonic()
        self.refuse_if_running()
        self.hold_ports()
        self.prepare_state_dir()
        ports = self.ports
        ddb_url = self.settings.dynamodb_endpoint or f"http://{aws.LOOPBACK}:{ports.dynamodb}"
        if not self.settings.dynamodb_endpoint:
            with (self.state_dir / "logs" / "dynamodb-local.log").open("ab") as ddb_log:
                ddb = aws.start_dynamodb_local(REPO, ports.dynamodb, ddb_log)
            self.processes.append(ddb)
        os.environ.update(aws.MOTO_ENV)
        moto = aws.Moto(ports.moto)
        moto.start()
        self.moto = moto
        moto_url = moto.url
        endpoint_of = {"dynamodb": ddb_url, "dynamodbstreams": ddb_url}
        clients = {
            name: aws.client(name, endpoint_of.get(name, moto_url))
            for name in (
                "dynamodb",
                "dynamodbstreams",
                "s3",
                "sqs",
                "events",
                "cognito-idp",
                "ses",
                "secretsmanager",
                "apigateway",
                "cloudfront",
                "sns",
            )
        }
        clients["ses"].verify_email_identity(EmailAddress=MAIL_SENDER)
        pool = create_user_pool(
            clients["cognito-idp"], moto_url, MAIL_SENDER, f"http://{aws.LOOPBACK}:{ports.web}"
        )
        admin = create_bootstrap_admin(clients["cognito-idp"], pool)
        scanner_url, scanner_queues = self.scanner_queue(clients["sqs"])
        provisioned = resources.provision(self.topologies, STAGE, clients, scanner_queues)
        cdns = self.start_cdns(provisioned, clients)
        platform = resources.PlatformValues(
            event_bus_name=provisioned.event_bus_name,
            user_pool_id=pool.user_pool_id,
            mail_sender=MAIL_SENDER,
            jwt_issuer=pool.issuer,
            jwt_audience=pool.client_id,
            jwks_url=pool.jwks_url,
            portal_url=f"http://{aws.LOOPBACK}:{ports.web}",
        )
        aws_env = aws.aws_environment(moto_url, ddb_url)
        version, commit = package_version(), git_commit()

        push = PushServer(ports.push)
        self.servers.append(push)
        self.threads.append(push.start())
        invoker = HttpInvoker()
        supervisor = HostSupervisor(REPO, self.state_dir / "logs", self.stop_event)
        self.supervisor = supervisor
        hosts = []
        for index, topology in enumerate(self.topologies):
            env = resources.function_environment(
                topology,
                STAGE,
                platform,
                version=version,
                git_commit=commit,
                http_api_url=f"http://{aws.LOOPBACK}:{ports.gateway(index)}",
            )
            env.update(local_service_environment(topology.service, push.origin))
            plan_id = provisioned.usage_plan_ids.get(topology.service)
            if plan_id is not None:
                # One host process serves all of a service's functions: the key managers'
                # variable reaches its siblings too (in the cloud, only the managers).
                for declared in topology.functions:
                    env.update(resources.usage_plan_environment(topology, declared.name, plan_id))
            specs = [
                FunctionSpec(
                    function_name(topology.service, f.name),
                    f.handler,
                    f.timeout_seconds,
                    f.memory_mb,
                )
                for f in topology.functions
            ]
            hosts.append(
                supervisor.add(topology.service, ports.host(index), specs, {**aws_env, **env})
            )
            for spec in specs:
                invoker.register(spec.name, hosts[-1].url, spec.timeout_seconds)
        relay_name = function_name(PLATFORM, RELAY_FUNCTION)
        if provisioned.outbox_streams:
            relay_spec = FunctionSpec(relay_name, RELAY_HANDLER, 30, 256)
            relay_env = {**aws_env, "SCTS_EVENT_BUS_NAME": provisioned.event_bus_name}
            hosts.append(
                supervisor.add(PLATFORM, ports.host(len(self.topologies)), [relay_spec], relay_env)
            )
            invoker.register(relay_name, hosts[-1].url, relay_spec.timeout_seconds)
        supervisor.wait_healthy(hosts)
        self.threads.append(supervisor.watch())

        verifier = JwtVerifier(pool.issuer, frozenset({pool.client_id}), pool.jwks_url)
        web_origin = f"http://{aws.LOOPBACK}:{ports.web}"
        services: dict[str, str] = {}
        ingest_apis: dict[str, str] = {}
        for index, topology in enumerate(self.topologies):
            names = {f.name: function_name(topology.service, f.name) for f in topology.functions}
            services[topology.service] = self.serve(
                ports.gateway(index),
                ServiceGateway(
                    topology,
                    invoker,
                    function_names=names,
                    verifier=verifier,
                    api_id=f"{topology.service}-local",
                    cors=cors_policy(topology, [web_origin]),
                ),
            )
            if topology.ingest_routes:
                ingest_apis[topology.service] = self.serve(
                    ports.ingest(index),
                    IngestGateway(
                        topology,
                        invoker,
                        function_names=names,
                        api_id=f"{topology.service}-ingest-local",
                        usage_plan=usage_plan_gate(
                            topology, clients["apigateway"], provisioned.usage_plan_ids
                        ),
                    ),
                )
        mailbox = MailboxServer(ports.mailbox)
        self.servers.append(mailbox)
        self.threads.append(mailbox.start())
        web = WebServer(ports.web, web_site(services, pool))
        self.servers.append(web)
        self.threads.append(web.start())

        for queues in provisioned.queues:
            poller = SqsPoller(
                clients["sqs"],
                invoker,
                queue_url=queues.queue_url,
                queue_arn=queues.queue_arn,
                function_name=function_name(queues.topology.service, queues.subscription.function),
                batch_size=queues.subscription.batch_size,
                stop=self.stop_event,
            )
            self.threads.append(poller.start())
        self.start_file_services(provisioned, clients, scanner_url)
        for stream in provisioned.outbox_streams:
            stream_poller = StreamPoller(
                clients["dynamodbstreams"],
                clients["sqs"],
                invoker,
                stream_arn=stream.stream_arn,
                function_name=relay_name,
                dlq_url=provisioned.relay_dlq_url,
                stop=self.stop_event,
            )
            self.threads.append(stream_poller.start())

        demo = DemoContext(
            services=services,
            ingest_apis=ingest_apis,
            pool=pool,
            mailbox_url=mailbox.url,
            cognito_client=clients["cognito-idp"],
            users=[admin],
            push_service_url=push.origin,
        )
        steps = run_demo(demo) if self.settings.demo else []
        backlog = self.wait_until_projected(clients, provisioned)
        endpoints = self.endpoints(services, pool, demo.users, demo.publishers, mailbox.url)
        endpoints["ingest_apis"] = ingest_apis
        endpoints["web"] = web.base_url
        endpoints["documents_cdn"] = next(
            (values.url for found in cdns.values() for values in found.values()), None
        )
        endpoints["push_service"] = push.origin
        endpoints.update(demo.notes)
        endpoints["mail_events"] = {
            topic.topology.service: {
                "topic_arn": topic.topic_arn,
                "configuration_set": topic.configuration_set,
            }
            for topic in provisioned.mail_topics
        }
        endpoints["state_dir"] = str(self.state_dir)
        endpoints["demo_steps"] = steps
        endpoints["event_path"] = {"drained": backlog.drained, "state": backlog.describe()}
        endpoints["ready_seconds"] = round(time.monotonic() - started, 2)
        self.write_endpoints(endpoints)
        return endpoints

    def wait_until_projected(
        self, clients: dict[str, Any], provisioned: resources.Provisioned
    ) -> readiness.Backlog:
        """Every event committed so far (the demo's) is projected: see readiness.py."""
        queue_urls, dlq_urls = readiness.subscription_queues(provisioned)
        path = readiness.EventPath(
            dynamodb=clients["dynamodb"],
            sqs=clients["sqs"],
            events=clients["events"],
            outbox_tables=tuple(s.table_name for s in provisioned.outbox_streams),
            archive_name=provisioned.event_archive_name,
            relay_dlq_url=provisioned.relay_dlq_url,
            queue_urls=queue_urls,
            dlq_urls=dlq_urls,
        )
        backlog, drained = readiness.wait_until_drained(
            path.look,
            timeout=readiness.DRAIN_TIMEOUT_SECONDS,
            progress=lambda b: log.info("projecting the demo: %s", b.describe()),
        )
        if not drained:
            log.warning("not drained after %d s: %s", readiness.DRAIN_TIMEOUT_SECONDS, backlog)
        return backlog

    def scanner_queue(self, sqs: Any) -> tuple[str | None, dict[str, list[dict[str, Any]]]]:
        """The simulated malware scanner's queue and the notifications feeding it (bucket
        name -> queue configurations), for the topologies' malware scans."""
        scans = [(t, scan) for t in self.topologies for scan in t.malware_scans]
        if not scans:
            return None, {}
        url = sqs.create_queue(QueueName=f"scts-{STAGE}-{SCANNER_QUEUE}")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
        configurations: dict[str, list[dict[str, Any]]] = {}
        for topology, scan in scans:
            bucket = next(b for b in topology.buckets if b.name == scan.bucket)
            name = resources.bucket_name(topology, STAGE, bucket)
            configurations.setdefault(name, []).append(
                scanner_notification(arn["Attributes"]["QueueArn"], scan.prefix)
            )
        return url, configurations

    def start_cdns(
        self, provisioned: resources.Provisioned, clients: dict[str, Any]
    ) -> dict[str, dict[str, resources.CdnValues]]:
        """One local CDN per declared signed-downloads CDN (the documents CDN: base+4),
        and the SSM parameters (in the edge region, as the edge stack writes them) that
        tell the service its URL and key pair id."""
        cdns: dict[str, dict[str, resources.CdnValues]] = {t.service: {} for t in self.topologies}
        ssm = aws.client("ssm", clients["s3"].meta.endpoint_url, EDGE_REGION)
        by_service = {t.service: t for t in self.topologies}
        for offset, group in enumerate(provisioned.key_groups):
            port = self.ports.cdn + 10 * offset
            gate = SignedUrlGate(
                f"http://{aws.LOOPBACK}:{port}",
                TrustedKeys(clients["cloudfront"], group.key_group_id),
            )
            server = CdnServer(port, gate, clients["s3"], group.bucket, group.prefixes)
            self.servers.append(server)
            self.threads.append(server.start())
            values = resources.CdnValues(server.base_url, group.public_key_id)
            cdns[group.service][group.name] = values
            topology = by_service[group.service]
            for name, value in resources.cdn_parameters(
                topology, STAGE, group.name, values
            ).items():
                ssm.put_parameter(Name=name, Value=value, Type="String", Overwrite=True)
        return cdns

    def start_file_services(
        self, provisioned: resources.Provisioned, clients: dict[str, Any], scanner_url: str | None
    ) -> None:
        """The scheduler (every declared schedule) and the simulated malware scanner."""
        played = [
            PlayedSchedule(q.topology.service, q.subscription, q.queue_url)
            for q in provisioned.queues
            if isinstance(q.subscription, Schedule)
        ]
        if played:
            scheduler = LocalScheduler(
                clients["sqs"], played, state_dir=self.state_dir, stop=self.stop_event
            )
            self.threads.append(scheduler.start())
        if scanner_url is not None:
            scanner = LocalMalwareScanner(
                clients["sqs"], clients["s3"], clients["events"], scanner_url, self.stop_event
            )
            self.threads.append(scanner.start())

    def serve(self, port: int, gateway: ServiceGateway | IngestGateway) -> str:
        """Start a gateway listener; its base URL."""
        server = GatewayServer(port, gateway)
        self.servers.append(server)
        self.threads.append(server.start())
        return server.base_url

    def endpoints(
        self,
        services: dict[str, str],
        pool: UserPool,
        users: list[Login],
        publishers: list[dict[str, str]],
        mailbox_url: str,
    ) -> dict[str, Any]:
        assert self.moto is not None
        return {
            "services": services,
            "cognito": pool.as_json(),
            "users": [u.as_json() for u in users],
            "publishers": publishers,
            "mailbox": mailbox_url,
            "aws_endpoint": self.moto.url,
            "dynamodb_endpoint": self.settings.dynamodb_endpoint
            or f"http://{aws.LOOPBACK}:{self.ports.dynamodb}",
            "region": REGION,
            "request_log": str(self.state_dir / "logs" / REQUESTS_LOG),
            "pid": os.getpid(),
            "started_at": datetime.now(UTC).isoformat(),
        }

    def write_endpoints(self, endpoints: dict[str, Any]) -> None:
        """Written once everything is ready, atomically: its presence means 'ready'."""
        target = self.state_dir / ENDPOINTS_FILE
        partial = target.with_suffix(".tmp")
        partial.write_text(json.dumps(endpoints, indent=2) + "\n")
        partial.chmod(0o600)
        partial.replace(target)

    def stop(self) -> None:
        self.stop_event.set()
        for server in self.servers:
            server.shutdown()
            server.server_close()
        if self.supervisor is not None:
            self.supervisor.stop_all()
        for handler in REQUEST_LOG.handlers:
            handler.close()
        for process in reversed(self.processes):
            aws.stop_process(process)
        if self.moto is not None:
            self.moto.stop()
        if self.owns_state_dir:
            (self.state_dir / ENDPOINTS_FILE).unlink(missing_ok=True)
            (self.state_dir / "runtime.pid").unlink(missing_ok=True)
        if self.port_lock is not None:
            self.port_lock.release()


def web_site(services: dict[str, str], pool: UserPool, root: Path = WEB_DIST) -> WebSite:
    """The SPA with the config.json and CSP of this runtime (its APIs, its moto Cognito)."""
    config = spa_config(
        stage=STAGE,
        region=pool.region,
        user_pool_id=pool.user_pool_id,
        client_id=pool.client_id,
        services=services,
        cognito_endpoint=pool.endpoint,
    )
    return WebSite(root, config, security_headers([*services.values(), pool.endpoint]))


def summary(endpoints: dict[str, Any], state_dir: Path) -> str:
    event_path = endpoints["event_path"]
    lines = ["", "SCTS portal is running locally (Ctrl-C stops it)", ""]
    if endpoints.get("web"):
        lines += [f"Web portal:  {endpoints['web']}   (sign in with a login below)", ""]
    lines += ["Services:"]
    lines += [f"  {name:<14} {url}" for name, url in endpoints["services"].items()]
    if endpoints.get("documents_cdn"):
        lines += [
            "",
            f"Documents CDN:  {endpoints['documents_cdn']}  (CloudFront signed URLs only)",
        ]
    lines += ["", "Ingest APIs (publisher API keys, x-api-key):"]
    lines += [f"  {name:<14} {url}" for name, url in endpoints.get("ingest_apis", {}).items()]
    cognito = endpoints["cognito"]
    lines += [
        "",
        f"Cognito:  {cognito['endpoint']}  pool {cognito['user_pool_id']}  "
        f"client {cognito['client_id']}",
        "",
        "Logins:",
    ]
    for user in endpoints["users"]:
        totp = f"  totp_secret {user['totp_secret']}" if user.get("totp_secret") else ""
        account = f"  account {user['account']}" if user.get("account") else ""
        lines.append(f"  {user['role']:<12} {user['username']}  {user['password']}{account}{totp}")
    lines += ["", "Publishers:"]
    lines += [f"  {p['name']}  api key {p['api_key']}" for p in endpoints["publishers"]] or [
        "  (none yet)"
    ]
    lines += [
        "",
        f"Mailbox:  {endpoints['mailbox']}",
        f"AWS:      {endpoints['aws_endpoint']} (moto), "
        f"{endpoints['dynamodb_endpoint']} (DynamoDB Local)",
        f"Demo:     {', '.join(endpoints['demo_steps']) or 'no steps yet'}",
        f"Events:   {event_path['state']}"
        + ("" if event_path["drained"] else "  (STILL PROJECTING: pages may show partial data)"),
        f"Ready in {endpoints['ready_seconds']} s; facts in {state_dir / ENDPOINTS_FILE}",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    from services.topologies import TOPOLOGIES

    logging.basicConfig(level=logging.INFO, format="[runtime] %(levelname)-7s %(message)s")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    runtime = Runtime(load_settings(LocalSettings), TOPOLOGIES)

    def request_stop(signum: int, _frame: Any) -> None:
        runtime.stop_event.set()
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, request_stop)
    # Explicit even for SIGINT: a shell's background job inherits it ignored.
    signal.signal(signal.SIGINT, request_stop)
    exit_code = 0
    try:
        endpoints = runtime.start()
        print(summary(endpoints, runtime.state_dir), flush=True)
        while not runtime.stop_event.wait(1):
            pass
    except KeyboardInterrupt:
        pass
    except PortTaken as taken:
        print(
            f"\n{taken}: is another runtime running? Stop it, "
            "or set SCTS_LOCAL_BASE_PORT to another base port.",
            file=sys.stderr,
            flush=True,
        )
        exit_code = PORTS_TAKEN_EXIT
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("\nstopping...", flush=True)
        runtime.stop()
    sys.exit(exit_code)
