"""Every outgoing HTTP request to an address a user can set goes through here (review L4: blind SSRF).

A coordinator types the dispatch webhook address; without this door, Amparo would POST wherever that name points:
its own loopback services, the hosting provider's metadata endpoint (169.254.169.254), the office network behind it.
So a request here:

- accepts only ``http`` and ``https`` addresses without user names or passwords in them;
- resolves the host once (``getaddrinfo``) and refuses when ANY address it resolves to is internal (loopback, private,
  link-local, CGNAT, unspecified, multicast, reserved, documentation, and the IPv4-mapped, 6to4 and NAT64 forms of
  those), unless an operator listed that address in ``AMPARO_WEBHOOK_ALLOW``;
- connects to the address it checked, not to the name again (a second lookup could answer differently: DNS
  rebinding), while sending the original ``Host`` header and TLS server name, so certificates are still checked;
- follows at most three redirects by hand, checking every hop the same way;
- never uses proxies from the environment, has short timeouts and an overall deadline, and reads a bounded reply.

Operator-configured internal services (the S3 endpoint, the local worker pool) do not go through here: their address
comes from the operator, not from a user.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

MAX_REDIRECTS = 3
TIMEOUT_SECONDS = 5.0
DEADLINE_SECONDS = 15.0
MAX_RESPONSE_BYTES = 64 * 1024
REDIRECTS = {301, 302, 303, 307, 308}

# Ranges refused even where the ipaddress module of this Python calls them global (kept explicit so a change in the
# standard library cannot open them): CGNAT, the IETF protocol block, benchmarking, documentation, 6to4 relays.
ALWAYS_INTERNAL: tuple[IPNetwork, ...] = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",
        "100.64.0.0/10",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.88.99.0/24",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "::/128",
        "::1/128",
        "64:ff9b:1::/48",
        "100::/64",
        "2001::/23",
        "2001:db8::/32",
        "fc00::/7",
        "fe80::/10",
        "fec0::/10",
    )
)
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class OutboundError(Exception):
    """The request could not be made or did not finish (network trouble, too many redirects, bad reply)."""

    code = "failed"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class OutboundRefused(OutboundError):
    """Amparo refuses to send to this address: the message says why, in the user's language."""

    code = "refused"


@dataclass(frozen=True)
class Target:
    """A checked destination: connect to ``address``, but speak to ``host``."""

    scheme: str
    host: str
    port: int
    address: str
    path: str  # path and query, never empty


@dataclass(frozen=True)
class Response:
    status: int
    headers: Mapping[str, str]
    body: bytes
    url: str
    truncated: bool


def embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped ``::ffff:a.b.c.d``, compatible ``::a.b.c.d``, 6to4, NAT64)."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in NAT64 or int(ip) >> 32 == 0:  # NAT64 well-known prefix, or the deprecated IPv4-compatible form
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_internal(ip: IPAddress) -> bool:
    """True for every address that is not a plain public unicast address (see the module docstring)."""
    inner = embedded_ipv4(ip)
    if inner is not None and is_internal(inner):
        return True
    if any(ip.version == net.version and ip in net for net in ALWAYS_INTERNAL):
        return True
    return bool(
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
        or (isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local)
    )


def allowed_networks(spec: Iterable[str] | None = None) -> tuple[IPNetwork, ...]:
    """The operator's explicit exceptions; a malformed entry allows nothing (and the system check refuses it)."""
    from amparo.intake.privacy import networks

    return networks(tuple(getattr(settings, "WEBHOOK_ALLOW", ()) if spec is None else spec))


def is_allowed(ip: IPAddress, networks: tuple[IPNetwork, ...]) -> bool:
    candidates: list[IPAddress] = [ip]
    inner = embedded_ipv4(ip)
    if inner is not None:
        candidates.append(inner)
    return any(c.version == net.version and c in net for c in candidates for net in networks)


def _refused_address(address: str) -> OutboundRefused:
    return OutboundRefused(
        str(
            _(
                "This address leads inside the server's own network (%(address)s). Notices go only to public "
                "addresses; the server's operator can allow a private gateway with AMPARO_WEBHOOK_ALLOW."
            )
            % {"address": address}
        ),
        code="internal",
    )


def parse(url: str) -> tuple[str, str, int, str]:
    """Scheme, host, port and path of an address, or OutboundRefused with a reason the user can read."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise OutboundRefused(str(_("This is not a valid web address.")), code="invalid") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise OutboundRefused(
            str(_("Only http:// and https:// addresses can receive notices.")), code="scheme"
        )
    if parts.username is not None or parts.password is not None:
        raise OutboundRefused(
            str(_("The address cannot contain a user name or password.")), code="credentials"
        )
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise OutboundRefused(str(_("This is not a valid web address.")), code="invalid")
    try:
        host = host.encode("idna").decode("ascii") if not _is_ip_literal(host) else host
    except UnicodeError:
        raise OutboundRefused(str(_("This is not a valid web address.")), code="invalid") from None
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return scheme, host, port or (443 if scheme == "https" else 80), path


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the host resolves to (one lookup; the caller connects to one of exactly these)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise OutboundError(f"cannot resolve {host}: {exc}", code="unresolved") from None
    found: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        text = str(sockaddr[0]).split("%", 1)[0]  # drop an IPv6 zone index (fe80::1%eth0)
        try:
            ip = ipaddress.ip_address(text)
        except ValueError:
            raise _refused_address(text) from None
        if ip not in found:
            found.append(ip)
    if not found:
        raise OutboundError(f"cannot resolve {host}", code="unresolved")
    return found


def vet(url: str) -> Target:
    """Check an address now: parse it, resolve it once, refuse it if ANY address is internal and not allowed."""
    scheme, host, port, path = parse(url)
    addresses = resolve(host, port)
    allowed = allowed_networks()
    for ip in addresses:
        if is_internal(ip) and not is_allowed(ip, allowed):
            raise _refused_address(str(ip))
    return Target(scheme=scheme, host=host, port=port, address=str(addresses[0]), path=path)


def check_url(url: str) -> None:
    """For forms: refuse an address that leads inside; a name that does not resolve now is left to send time."""
    try:
        vet(url)
    except OutboundRefused:
        raise
    except OutboundError:
        pass


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Plain HTTP to the vetted address; ``Host`` still names the host the user gave."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """TLS to the vetted address, with the server name (SNI) and certificate checked against the host the user gave."""

    def __init__(self, target: Target, timeout: float, context: ssl.SSLContext) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=context)
        self._address = target.address
        self._tls = context

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)


def _read_bounded(response: http.client.HTTPResponse, limit: int, deadline: float) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        if time.monotonic() > deadline:
            raise OutboundError("the reply took too long", code="timeout")
        chunk = response.read1(min(8192, limit + 1 - size))
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)[:limit], True


def request(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = TIMEOUT_SECONDS,
    deadline_seconds: float = DEADLINE_SECONDS,
    max_redirects: int = MAX_REDIRECTS,
    max_bytes: int = MAX_RESPONSE_BYTES,
    tls_context: ssl.SSLContext | None = None,
) -> Response:
    """Send one request through the checks above; returns the final reply (a 4xx or 5xx is a reply, not an error)."""
    deadline = time.monotonic() + deadline_seconds
    context = tls_context or ssl.create_default_context()
    sent_headers = dict(headers or {})
    current = url
    for _hop in range(max_redirects + 1):
        if time.monotonic() > deadline:
            raise OutboundError("the request took too long", code="timeout")
        target = vet(current)
        connection: http.client.HTTPConnection = (
            _PinnedHTTPSConnection(target, timeout, context)
            if target.scheme == "https"
            else _PinnedHTTPConnection(target, timeout)
        )
        try:
            connection.request(method, target.path, body=body, headers=sent_headers)
            response = connection.getresponse()
            location = response.getheader("Location")
            if response.status in REDIRECTS and location:
                response.close()
                current = urljoin(current, location.strip())
                if response.status in (301, 302, 303) and method not in ("GET", "HEAD"):
                    # what browsers do: the redirected request is a GET without the body
                    method, body = "GET", None
                    sent_headers = {
                        k: v
                        for k, v in sent_headers.items()
                        if k.lower() not in ("content-type", "content-length")
                    }
                continue
            data, truncated = _read_bounded(response, max_bytes, deadline)
            return Response(
                status=response.status,
                headers={k.lower(): v for k, v in response.getheaders()},
                body=data,
                url=current,
                truncated=truncated,
            )
        except (OSError, http.client.HTTPException) as exc:
            raise OutboundError(f"{type(exc).__name__}: {exc}", code="failed") from None
        finally:
            connection.close()
    raise OutboundError(f"more than {max_redirects} redirects", code="redirects")
