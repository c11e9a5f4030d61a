"""A private cluster: a cluster started here listens on loopback alone, with no dashboard; a
scheduler elsewhere is reached over TLS with the certificates named in [tool.pipeline.dask];
plain tcp:// off this machine is refused unless --insecure; a scheduler lost in the middle
of a build is one line, said within seconds."""

from __future__ import annotations

import ipaddress
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
import pytest
from click.testing import CliRunner
from conftest import MINIMAL, pipeline_command, pipeline_env

from pipeline import settings
from pipeline.build import dask_security
from pipeline.cli import cli

DASK = Path(sys.executable).with_name("dask")
SLOW = {"slow": "fake_renderers:SlowRenderer"}


def build(*args: object):
    return CliRunner().invoke(cli, ["build", *map(str, args)])


def listeners(pid: int) -> list[tuple[str, int]]:
    """The (address, port) every process of the tree under `pid` (itself included) listens on."""
    found = []
    root = psutil.Process(pid)
    for process in [root, *root.children(recursive=True)]:
        try:
            found += [(connection.laddr.ip, connection.laddr.port) for connection in process.net_connections(kind="inet") if connection.status == psutil.CONN_LISTEN]
        except psutil.NoSuchProcess:
            continue
    return found


def off_this_machine(found: list[tuple[str, int]]) -> list[str]:
    return [address for address, _port in found if not ipaddress.ip_address(address).is_loopback]


def serves_dashboard(port: int) -> bool:
    """Whether Dask's dashboard answers on 127.0.0.1:`port` (its /status page; a scheduler's
    and a worker's own web server, for /health and /metrics, has none without it)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as connection:
            connection.sendall(b"GET /status HTTP/1.0\r\n\r\n")
            return connection.recv(12).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


@pytest.mark.heavy
def test_a_cluster_started_here_listens_on_loopback_alone_with_no_dashboard(write_source, tmp_path):
    command = pipeline_command("build", "--quiet", "--out", tmp_path / "out", "--executor", "dask", "--workers", "2", "-f", "slow", "--seconds", "4", write_source(MINIMAL), plugins=SLOW)
    process = subprocess.Popen(command, env=pipeline_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(1200):  # until the renderer runs on a worker: every listener is open (bounded: 60 s)
            if process.poll() is not None or any("sleep" in child.name() for child in psutil.Process(process.pid).children(recursive=True)):
                break
            time.sleep(0.05)
        found = listeners(process.pid)
        dashboards = [port for _address, port in found if serves_dashboard(port)]
    finally:
        _out, said = process.communicate(timeout=120)
    assert process.returncode == 0, said
    assert len(found) >= 3, found  # the scheduler and two workers at least
    assert off_this_machine(found) == []
    assert dashboards == []


# ---------------------------------------------------------------- scheduler addresses


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:8786", "127.0.0.1:8786", "tcp://[::1]:8786", "tcp://localhost:8786"])
def test_plain_tcp_on_this_machine_is_accepted_without_a_word(address):
    assert dask_security.warning_for(address, insecure=False) is None


def test_plain_tcp_on_the_network_is_refused_saying_what_to_do(write_source):
    result = build("--executor", "dask", "--scheduler", "tcp://192.0.2.10:8786", "-f", "txt", write_source(MINIMAL))
    assert result.exit_code == 2
    assert "tcp://192.0.2.10:8786 is plain tcp:// on the network, unencrypted and unauthenticated: anyone who reaches the scheduler runs code on every worker" in result.output
    assert "Use tls:// with the cluster's certificates in [tool.pipeline.dask] (see README), or pass --insecure" in result.output


def test_insecure_takes_plain_tcp_on_the_network_with_a_warning():
    warning = dask_security.warning_for("tcp://192.0.2.10:8786", insecure=True)
    assert warning == "tcp://192.0.2.10:8786 is plain tcp:// (--insecure): anyone who reaches the scheduler runs code on every worker"


def test_insecure_without_a_scheduler_is_a_usage_error(write_source):
    result = build("--executor", "dask", "--workers", "2", "--insecure", write_source(MINIMAL))
    assert result.exit_code == 2 and "--insecure allows a plain tcp:// --scheduler on another machine" in result.output


def test_tls_without_certificates_in_the_settings_is_refused(write_source, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = build("--executor", "dask", "--scheduler", "tls://192.0.2.10:8786", "-f", "txt", write_source(MINIMAL))
    assert result.exit_code == 2
    assert "tls://192.0.2.10:8786 is a tls:// cluster: name its certificates (tls_ca_file, tls_cert, tls_key) in [tool.pipeline.dask]" in result.output


def test_certificate_settings_name_the_line_of_a_missing_file_or_key(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    (tmp_path / "ca.pem").write_text("x", encoding="utf-8")
    pyproject.write_text('[tool.pipeline.dask]\ntls_ca_file = "ca.pem"\ntls_cert = "client.pem"\n', encoding="utf-8")
    with pytest.raises(settings.SettingsError, match=r"pyproject.toml:3: error: \[tool.pipeline.dask\] tls_cert: no such file: .*client.pem"):
        settings.cluster_certificates(pyproject)
    pyproject.write_text('[tool.pipeline.dask]\ntls_ca_file = "ca.pem"\n', encoding="utf-8")
    with pytest.raises(settings.SettingsError, match=r"pyproject.toml:1: error: \[tool.pipeline.dask\]: tls_cert and tls_key missing"):
        settings.cluster_certificates(pyproject)
    pyproject.write_text("[tool.pipeline.dask]\n", encoding="utf-8")
    assert settings.cluster_certificates(pyproject) is None


# ---------------------------------------------------------------- a TLS cluster on loopback


def openssl(*args: object) -> None:
    subprocess.run(["openssl", *map(str, args)], check=True, capture_output=True)


def certificates(folder: Path) -> Path:
    """An authority of the cluster's own, and a certificate signed by it for the scheduler, the
    worker and the client (the build), as README's recipe makes them."""
    folder.mkdir()
    key = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")
    openssl("req", "-x509", *key, "-keyout", folder / "ca.key", "-out", folder / "ca.pem", "-days", "2", "-subj", "/CN=pipeline cluster CA")
    for name in ("scheduler", "worker", "client"):
        openssl("req", *key, "-keyout", folder / f"{name}.key", "-out", folder / f"{name}.csr", "-subj", f"/CN={name}")
        openssl("x509", "-req", "-in", folder / f"{name}.csr", "-CA", folder / "ca.pem", "-CAkey", folder / "ca.key", "-CAcreateserial",
                "-out", folder / f"{name}.pem", "-days", "2")
    return folder


def tls(folder: Path, name: str) -> list[str]:
    return ["--tls-ca-file", str(folder / "ca.pem"), "--tls-cert", str(folder / f"{name}.pem"), "--tls-key", str(folder / f"{name}.key")]


@contextmanager
def cluster(folder: Path, scheduler_flags: list[str], worker_flags: list[str]) -> Iterator[tuple[str, subprocess.Popen, subprocess.Popen]]:
    """`dask scheduler` and one `dask worker` on 127.0.0.1, as README shows them: the
    scheduler's address and the two processes, killed at the end."""
    information = folder / "scheduler.json"
    common = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": pipeline_env()}
    local = ["--host", "127.0.0.1", "--no-dashboard", "--dashboard-address", "127.0.0.1:0"]
    scheduler = subprocess.Popen([DASK, "scheduler", *local, "--port", "0", "--scheduler-file", information, *scheduler_flags], **common)
    worker = None
    try:
        for _ in range(600):  # bounded: 60 s
            if information.is_file() and information.stat().st_size:
                break
            time.sleep(0.1)
        address = json.loads(information.read_text("utf-8"))["address"]
        worker = subprocess.Popen([DASK, "worker", address, *local, "--nthreads", "1", *worker_flags], **common)
        yield address, scheduler, worker
    finally:
        for process in (worker, scheduler):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(30)


@pytest.fixture
def tls_cluster(tmp_path):
    """A cluster over TLS: its address, the certificates' folder and the two processes."""
    made = certificates(tmp_path / "certificates")
    with cluster(tmp_path, ["--protocol", "tls", *tls(made, "scheduler")], tls(made, "worker")) as (address, scheduler, worker):
        yield address, made, scheduler, worker


def project(folder: Path, made: Path) -> None:
    (folder / "source").mkdir()
    (folder / "source" / "cramps.yaml").write_text(MINIMAL, encoding="utf-8")
    names = {"tls_ca_file": "ca.pem", "tls_cert": "client.pem", "tls_key": "client.key"}
    lines = [f'{key} = "{made / name}"' for key, name in names.items()]
    (folder / "pyproject.toml").write_text("[tool.pipeline.dask]\n" + "\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.heavy
def test_a_build_on_a_tls_cluster_shows_its_certificates_and_strangers_are_turned_away(tls_cluster, tmp_path, monkeypatch):
    address, made, scheduler, worker = tls_cluster
    assert address.startswith("tls://127.0.0.1:")
    monkeypatch.chdir(tmp_path)
    project(tmp_path, made)
    result = build("--quiet", "--out", "out", "--executor", "dask", "--scheduler", address, "-f", "txt", "source/cramps.yaml")
    assert result.exit_code == 0, result.output
    assert "Leg cramps at night" in (tmp_path / "out" / "cramps" / "cramps.txt").read_text("utf-8")
    stranger = subprocess.run([sys.executable, "-c", f"from distributed import Client; Client({address!r}, timeout=3)"], capture_output=True, text=True, timeout=60)
    assert stranger.returncode != 0  # no certificate of the cluster's authority: no connection
    plain = build("--out", "plain", "--executor", "dask", "--scheduler", address.replace("tls://", "tcp://"), "-f", "txt", "source/cramps.yaml")
    assert plain.exit_code == 1 and "cannot reach the Dask scheduler" in plain.output
    assert off_this_machine(listeners(scheduler.pid) + listeners(worker.pid)) == []


@pytest.mark.heavy
def test_a_scheduler_killed_in_the_middle_of_a_build_is_one_line_said_within_seconds(tmp_path):
    (tmp_path / "cramps.yaml").write_text(MINIMAL, encoding="utf-8")
    with cluster(tmp_path, [], []) as (address, scheduler, _worker):
        command = pipeline_command("build", "--out", tmp_path / "out", "--executor", "dask", "--scheduler", address, "-f", "slow", "-f", "txt", "--seconds", "60.5", tmp_path / "cramps.yaml", plugins=SLOW)
        building = subprocess.Popen(command, env=pipeline_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(1200):  # until the worker renders (bounded: 120 s)
            if building.poll() is not None or subprocess.run(["pgrep", "-f", "-x", "sleep 60.5"], capture_output=True).returncode == 0:
                break
            time.sleep(0.1)
        scheduler.kill()
        killed = time.monotonic()
        _out, said = building.communicate(timeout=120)
        seconds = time.monotonic() - killed
    assert building.returncode == 1
    [line] = said.strip().splitlines()
    assert line.startswith(f"error: lost the Dask scheduler at {address} (")
    assert line.endswith("check that it runs (restart it and its workers if need be), then build again; the outputs written so far are kept")
    assert seconds < 8, seconds  # the client's own wait was 10 s, after two tracebacks
