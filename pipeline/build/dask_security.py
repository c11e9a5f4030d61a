"""Who may reach the cluster a build renders on: anyone who reaches a Dask scheduler runs code
on every one of its workers, so a build talks only to a cluster nobody else can reach.

- A cluster started here (`--workers N`) listens on 127.0.0.1 alone, and has no dashboard.
- A scheduler elsewhere is reached at tls://, both sides showing certificates signed by the
  cluster's own authority (Dask's `Security`): the files are named in `[tool.pipeline.dask]`.
- A plain tcp:// scheduler is accepted on this machine (a loopback address) and refused on any
  other unless the user says `--insecure`, and then with a warning.
"""

from __future__ import annotations

import ipaddress
import socket

from distributed.comm.addressing import get_address_host, parse_address
from distributed.security import Security

from pipeline import settings

LOOPBACK = "127.0.0.1"


class ClusterRefused(Exception):
    """A scheduler address the build will not use; the message says why and what to do."""


def warning_for(address: str, insecure: bool) -> str | None:
    """What to warn of before using the scheduler at `address`, or None; ClusterRefused when
    it must not be used."""
    try:
        scheme, _location = parse_address(address)
        host = get_address_host(address)
    except ValueError as error:
        raise ClusterRefused(f"{address} is not a scheduler address ({error}): write tls://HOST:PORT") from None
    if scheme == "tls":
        return None
    if scheme != "tcp":
        raise ClusterRefused(f"{address}: a build reaches a scheduler at tls://HOST:PORT (or tcp:// on this machine alone), not {scheme}://")
    if _loopback(host):
        return None
    danger = "anyone who reaches the scheduler runs code on every worker"
    if not insecure:
        raise ClusterRefused(
            f"{address} is plain tcp:// on the network, unencrypted and unauthenticated: {danger}. "
            "Use tls:// with the cluster's certificates in [tool.pipeline.dask] (see README), or pass --insecure on a network you trust"
        )
    return f"{address} is plain tcp:// (--insecure): {danger}"


def security_for(address: str) -> Security | None:
    """The certificates to show a tls:// scheduler (from `[tool.pipeline.dask]`), or None for tcp://."""
    if not address.startswith("tls://"):
        return None
    certificates = settings.cluster_certificates()
    if certificates is None:
        keys = ", ".join(settings.CLUSTER_KEYS)
        raise ClusterRefused(f"{address} is a tls:// cluster: name its certificates ({keys}) in [tool.pipeline.dask] of pyproject.toml (see README)")
    return Security(
        tls_ca_file=str(certificates.ca_file),
        tls_client_cert=str(certificates.cert),
        tls_client_key=str(certificates.key),
        require_encryption=True,
    )


def _loopback(host: str) -> bool:
    """Whether `host` is this machine alone: a loopback address, or a name that means only such."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        found = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        return False
    return bool(found) and all(ipaddress.ip_address(address.split("%")[0]).is_loopback for address in found)
