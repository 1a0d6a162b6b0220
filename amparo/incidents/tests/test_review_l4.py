"""Review L4: the dispatch webhook cannot reach inside (loopback, private, link-local, metadata), after DNS and on
every redirect, unless the operator allows a private gateway in AMPARO_WEBHOOK_ALLOW.

Every listener here is a real HTTP server on a loopback address; nothing leaves the machine. getaddrinfo is replaced
only to play a public-looking name that resolves to a private address (or changes its answer: DNS rebinding).
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import socket
import ssl
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core.checks import run_checks
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from amparo import outbound
from amparo.audit.models import AuditEvent
from amparo.incidents import notify
from amparo.incidents.models import Dispatch, DispatchGateway
from amparo.incidents.tests.factories import make_report
from amparo.testing import Personas


class Listener:
    """A real HTTP server on a loopback address that records every request and answers as told."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.hits: list[dict[str, Any]] = []
        self.answer: Callable[[BaseHTTPRequestHandler], None] = lambda h: self._reply(h, 204)
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                listener.hits.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": dict(self.headers.items()),
                        "body": body,
                    }
                )
                listener.answer(self)

            do_GET = do_POST = do_PUT = _any

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.host = host
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @staticmethod
    def _reply(handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str] | None = None) -> None:
        handler.send_response(status)
        for k, v in (headers or {}).items():
            handler.send_header(k, v)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    def redirect_to(self, location: str, status: int = 302) -> None:
        self.answer = lambda h: self._reply(h, status, {"Location": location})

    def url(self, path: str = "/hook") -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listen() -> Iterator[Callable[..., Listener]]:
    made: list[Listener] = []

    def make(host: str = "127.0.0.1") -> Listener:
        made.append(Listener(host))
        return made[-1]

    yield make
    for listener in made:
        listener.close()


def _dispatch(personas: Personas, client_as: Any, capture: Any) -> Dispatch:
    report = make_report(personas.north)
    with capture(execute=True):
        response = client_as("alice").post(
            reverse("incidents:report_dispatch", args=[report.code]), {"responder": personas["vera"].pk}
        )
    assert response.status_code == 302
    return Dispatch.objects.get(report=report)


@pytest.mark.django_db
def test_l4_a_coordinator_cannot_aim_the_webhook_at_a_loopback_listener(
    personas: Personas,
    client_as: Any,
    listen: Callable[..., Listener],
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The review's request: POST /dispatches/notices/ webhook_url=http://127.0.0.1:PORT/internal-admin?x=1."""
    inside = listen()
    url = inside.url("/internal-admin?x=1")
    alice = client_as("alice", HTTP_ACCEPT_LANGUAGE="en")
    page = alice.post(reverse("incidents:gateway"), {"webhook_url": url, "email_enabled": "on"})
    assert page.status_code == 200
    assert "leads inside the server&#x27;s own network (127.0.0.1)" in page.content.decode()
    assert not DispatchGateway.objects.filter(network=personas.north, webhook_url=url).exists()

    # In the user's language.
    spanish = client_as("alice", HTTP_ACCEPT_LANGUAGE="es").post(
        reverse("incidents:gateway"), {"webhook_url": url}
    )
    assert "red interna del servidor (127.0.0.1)" in spanish.content.decode()

    # An address saved before this check (or a name whose DNS changed since) is refused again at send time.
    DispatchGateway.objects.update_or_create(
        network=personas.north, defaults={"webhook_url": url, "secret": "s"}
    )
    dispatch = _dispatch(personas, client_as, django_capture_on_commit_callbacks)
    assert inside.hits == []
    event = AuditEvent.objects.get(network=personas.north, action="dispatch.webhook_refused")
    assert event.object_code == str(dispatch.code) and event.detail == {"reason": "internal"}
    assert notify.send(dispatch)["webhook"] == "refused"
    assert inside.hits == []


@pytest.mark.django_db
def test_l4_an_allowed_private_gateway_receives_the_signed_post(
    personas: Personas,
    client_as: Any,
    listen: Callable[..., Listener],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.WEBHOOK_ALLOW = ["127.0.0.1"]
    gateway_listener = listen()
    alice = client_as("alice")
    assert (
        alice.post(reverse("incidents:gateway"), {"webhook_url": gateway_listener.url()}).status_code == 302
    )
    gateway = DispatchGateway.objects.get(network=personas.north)
    dispatch = _dispatch(personas, client_as, django_capture_on_commit_callbacks)
    assert len(gateway_listener.hits) == 1
    hit = gateway_listener.hits[0]
    assert hit["method"] == "POST" and hit["path"] == "/hook"
    assert hit["headers"]["Host"] == f"127.0.0.1:{gateway_listener.port}"
    assert notify.verify(
        gateway.secret,
        hit["headers"][notify.TIMESTAMP_HEADER],
        hit["body"],
        hit["headers"][notify.SIGNATURE_HEADER],
    )
    assert str(dispatch.code).encode() in hit["body"]
    # Allowing one address does not allow its neighbours.
    assert (
        "127.0.0.2"
        in client_as("alice", HTTP_ACCEPT_LANGUAGE="en")
        .post(reverse("incidents:gateway"), {"webhook_url": "http://127.0.0.2:8080/hook"})
        .content.decode()
    )


@pytest.mark.parametrize(
    "second",
    [
        "http://127.0.0.2:{port}/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.2]:{port}/x",
        "http://[::1]:{port}/x",
    ],
)
@pytest.mark.parametrize("status", [302, 307])
def test_l4_a_redirect_from_an_allowed_gateway_to_inside_is_refused(
    listen: Callable[..., Listener], settings: Any, second: str, status: int
) -> None:
    settings.WEBHOOK_ALLOW = ["127.0.0.1/32"]
    first = listen("127.0.0.1")
    target = listen("127.0.0.2")
    first.redirect_to(second.format(port=target.port), status)
    with pytest.raises(outbound.OutboundRefused) as refused:
        outbound.request("POST", first.url(), body=b"{}", headers={"Content-Type": "application/json"})
    assert refused.value.code == "internal"
    assert len(first.hits) == 1 and target.hits == []


def test_l4_redirects_are_followed_by_hand_checked_and_limited(
    listen: Callable[..., Listener], settings: Any
) -> None:
    settings.WEBHOOK_ALLOW = ["127.0.0.1", "127.0.0.3"]
    final = listen("127.0.0.3")
    first = listen("127.0.0.1")
    first.redirect_to(final.url("/final"), 308)
    answer = outbound.request("POST", first.url(), body=b"{}", headers={"Content-Type": "application/json"})
    assert answer.status == 204 and answer.url.endswith("/final")
    assert final.hits[0]["method"] == "POST" and final.hits[0]["body"] == b"{}"  # 308 keeps method and body

    loop = listen("127.0.0.1")
    loop.redirect_to(loop.url("/again"))
    with pytest.raises(outbound.OutboundError) as too_many:
        outbound.request("GET", loop.url())
    assert too_many.value.code == "redirects"
    assert len(loop.hits) == outbound.MAX_REDIRECTS + 1


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:{port}/hook",
        "http://[::1]:{port}/hook",
        "http://[::ffff:127.0.0.1]:{port}/hook",
        "http://[::ffff:7f00:1]:{port}/hook",
        "http://2130706433:{port}/hook",  # 127.0.0.1 written as one number
        "http://0x7f.1:{port}/hook",
        "http://0.0.0.0:{port}/hook",
        "http://127.1:{port}/hook",
    ],
)
def test_l4_loopback_in_every_spelling_is_refused(listen: Callable[..., Listener], url: str) -> None:
    inside = listen()
    with pytest.raises(outbound.OutboundRefused):
        outbound.request("POST", url.format(port=inside.port), body=b"{}")
    assert inside.hits == []


@pytest.mark.parametrize(
    "url",
    [
        "ftp://gateway.example.org/x",
        "file:///etc/passwd",
        "gopher://x/",
        "http://user:pw@1.1.1.1/",
        "http:///x",
    ],
)
def test_l4_only_plain_http_and_https_addresses(url: str) -> None:
    with pytest.raises(outbound.OutboundRefused):
        outbound.vet(url)


class FakeDNS:
    """Names in ``table`` answer from it (one answer per call, the last repeats); other names resolve for real."""

    def __init__(self) -> None:
        self.table: dict[str, list[list[str]]] = {}
        self.calls: dict[str, int] = {}

    def __setitem__(self, name: str, answers: list[list[str]]) -> None:
        self.table[name] = answers


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> FakeDNS:
    dns = FakeDNS()
    table, calls = dns.table, dns.calls
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(host, str) and host in table:
            n = calls.get(host, 0)
            calls[host] = n + 1
            answers = table[host][min(n, len(table[host]) - 1)]
            out = []
            for a in answers:
                family = socket.AF_INET6 if ":" in a else socket.AF_INET
                sockaddr = (a, int(port), 0, 0) if family == socket.AF_INET6 else (a, int(port))
                out.append((family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", sockaddr))
            return out
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return dns


@pytest.mark.django_db
def test_l4_a_public_looking_name_that_resolves_inside_is_refused_at_form_time(
    personas: Personas, client_as: Any, fake_dns: FakeDNS
) -> None:
    fake_dns["gw.example"] = [["93.184.216.34", "10.0.0.5"]]  # ANY internal address refuses the name
    fake_dns["meta.example"] = [["169.254.169.254"]]
    fake_dns["fine.example"] = [["93.184.216.34"]]
    alice = client_as("alice", HTTP_ACCEPT_LANGUAGE="en")
    for name, address in (("gw.example", "10.0.0.5"), ("meta.example", "169.254.169.254")):
        page = alice.post(reverse("incidents:gateway"), {"webhook_url": f"https://{name}/hook"})
        assert page.status_code == 200 and f"own network ({address})" in page.content.decode()
    assert not DispatchGateway.objects.filter(network=personas.north).exists()
    assert (
        alice.post(reverse("incidents:gateway"), {"webhook_url": "https://fine.example/hook"}).status_code
        == 302
    )
    assert DispatchGateway.objects.get(network=personas.north).webhook_url == "https://fine.example/hook"


def test_l4_a_name_is_resolved_once_and_the_checked_address_is_the_one_connected(
    listen: Callable[..., Listener], settings: Any, fake_dns: FakeDNS
) -> None:
    """DNS rebinding: the first answer is checked, later answers (127.0.0.2 here) are never asked for or used."""
    settings.WEBHOOK_ALLOW = ["127.0.0.1"]
    good = listen("127.0.0.1")
    bad = listen("127.0.0.2")
    fake_dns["rebind.example"] = [["127.0.0.1"], ["127.0.0.2"]]
    answer = outbound.request("POST", f"http://rebind.example:{good.port}/hook", body=b"{}")
    assert answer.status == 204
    assert len(good.hits) == 1 and bad.hits == []
    assert good.hits[0]["headers"]["Host"] == f"rebind.example:{good.port}"  # the name, not the address
    assert fake_dns.calls["rebind.example"] == 1

    # Changed DNS after the form accepted a name: the send-time check refuses the new answer.
    fake_dns["changed.example"] = [["127.0.0.2"]]
    with pytest.raises(outbound.OutboundRefused):
        outbound.request("POST", f"http://changed.example:{bad.port}/hook", body=b"{}")
    assert bad.hits == []


def test_l4_the_reply_read_is_bounded(listen: Callable[..., Listener], settings: Any) -> None:
    settings.WEBHOOK_ALLOW = ["127.0.0.1"]
    big = listen()

    def flood(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(10 * 1024 * 1024))
        handler.end_headers()
        try:
            for _ in range(160):
                handler.wfile.write(b"x" * 65536)
        except OSError:
            pass

    big.answer = flood
    answer = outbound.request("GET", big.url(), max_bytes=1000)
    assert answer.truncated and len(answer.body) == 1000


def test_l4_malformed_allow_entries_fail_the_system_check(settings: Any) -> None:
    settings.WEBHOOK_ALLOW = ["10.0.0.5", "192.168.1.0/24", "10.0.0.300", "gateway.lan"]
    problems = [p for p in run_checks() if p.id == "amparo.E012"]
    assert len(problems) == 1 and "10.0.0.300" in problems[0].msg and "gateway.lan" in problems[0].msg
    assert "10.0.0.5," not in problems[0].msg
    settings.WEBHOOK_ALLOW = ["10.0.0.5", "192.168.1.0/24", "fd00::/8"]
    assert not [p for p in run_checks() if p.id == "amparo.E012"]
    # A malformed entry allows nothing meanwhile.
    assert outbound.allowed_networks(["10.0.0.300"]) == ()


# The ranges named in the review and the brief, written out here rather than taken from the ipaddress module.
NAMED_INTERNAL = [
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.168.0.0/16", "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32",
        "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8",
    )
]  # fmt: skip

addresses = st.one_of(
    st.integers(0, 2**32 - 1).map(ipaddress.IPv4Address),
    st.integers(0, 2**128 - 1).map(ipaddress.IPv6Address),
    st.sampled_from(NAMED_INTERNAL).flatmap(
        lambda net: st.integers(0, net.num_addresses - 1).map(lambda i: net[i])
    ),
)


@hsettings(max_examples=600, deadline=None)
@given(addresses)
def test_l4_every_address_the_ipaddress_module_calls_non_public_is_refused(ip: Any) -> None:
    if any(ip.version == net.version and ip in net for net in NAMED_INTERNAL):
        assert outbound.is_internal(ip)
    for flag in (
        "is_loopback",
        "is_private",
        "is_link_local",
        "is_multicast",
        "is_reserved",
        "is_unspecified",
    ):
        if getattr(ip, flag):
            assert outbound.is_internal(ip), flag
    if not ip.is_global:
        assert outbound.is_internal(ip)
    if isinstance(ip, ipaddress.IPv4Address):
        # Every IPv6 spelling of an internal IPv4 address is internal too.
        mapped = ipaddress.IPv6Address((0xFFFF << 32) | int(ip))
        sixtofour = ipaddress.IPv6Address((0x2002 << 112) | (int(ip) << 80))
        nat64 = ipaddress.IPv6Address(int(ipaddress.IPv6Address("64:ff9b::")) | int(ip))
        for spelling in (mapped, sixtofour, nat64):
            if outbound.is_internal(ip):
                assert outbound.is_internal(spelling), spelling
            assert outbound.embedded_ipv4(spelling) == ip
        # The allow list lets exactly the listed address through, in either spelling.
        allowed = outbound.allowed_networks([str(ip)])
        assert outbound.is_allowed(ip, allowed) and outbound.is_allowed(mapped, allowed)
        assert not outbound.is_allowed(ipaddress.IPv4Address(int(ip) ^ 1), allowed)


def _tls_files(tmp: Path, name: str) -> tuple[Path, Path, Path]:
    """A throw-away CA and a server certificate for ``name``, made here (nothing downloaded)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Amparo test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_path, cert_path, key_path = tmp / "ca.pem", tmp / "cert.pem", tmp / "key.pem"
    ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return ca_path, cert_path, key_path


def test_l4_https_goes_to_the_checked_address_with_the_names_sni_and_certificate(
    tmp_path: Path, listen: Callable[..., Listener], settings: Any, fake_dns: FakeDNS
) -> None:
    """A real TLS listener on 127.0.0.1 with a certificate for gw.example: the request names gw.example in SNI and
    Host, and the certificate is checked against the name (a certificate for another name is refused)."""
    settings.WEBHOOK_ALLOW = ["127.0.0.1"]
    ca, cert, key = _tls_files(tmp_path, "gw.example")
    server = listen("127.0.0.1")
    names_seen: list[str | None] = []
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)
    tls.sni_callback = lambda sock, name, ctx: names_seen.append(name)  # type: ignore[assignment,misc,func-returns-value]
    server.server.socket = tls.wrap_socket(server.server.socket, server_side=True)
    fake_dns["gw.example"] = [["127.0.0.1"]]
    fake_dns["other.example"] = [["127.0.0.1"]]
    client_tls = ssl.create_default_context(cafile=str(ca))

    answer = outbound.request(
        "POST", f"https://gw.example:{server.port}/hook", body=b"{}", tls_context=client_tls
    )
    assert answer.status == 204
    assert names_seen == ["gw.example"]
    assert server.hits[0]["headers"]["Host"] == f"gw.example:{server.port}"

    with pytest.raises(outbound.OutboundError) as wrong_name:
        outbound.request(
            "POST", f"https://other.example:{server.port}/hook", body=b"{}", tls_context=client_tls
        )
    assert "CERTIFICATE_VERIFY_FAILED" in wrong_name.value.message or "match" in wrong_name.value.message
    assert len(server.hits) == 1


def test_l4_amparo_check_refuses_a_malformed_allow_list_from_the_environment(tmp_path: Path) -> None:
    def check(value: str) -> subprocess.CompletedProcess[str]:
        environment = {
            **os.environ,
            "AMPARO_DATA_DIR": str(tmp_path / "data"),
            "DATABASE_URL": "",
            "AMPARO_WEBHOOK_ALLOW": value,
        }
        return subprocess.run(
            [str(Path(sys.executable).with_name("amparo")), "check"],
            capture_output=True,
            text=True,
            env=environment,
            timeout=120,
            check=False,
        )

    bad = check("10.0.0.5,192.168.1.300")
    assert bad.returncode == 1 and "amparo.E012" in bad.stderr and "192.168.1.300" in bad.stderr
    good = check("10.0.0.5, 192.168.1.0/24")
    assert good.returncode == 0 and "amparo.E012" not in good.stderr, good.stderr
