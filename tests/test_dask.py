"""Building on a Dask cluster: a real LocalCluster of worker processes, the same bytes as a local
build, a worker killed in the middle, a worker running other code refused."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MINIMAL, pipeline_command, pipeline_env
from distributed import Client, LocalCluster
from test_parallel import library, messages
from test_registry import plugins  # noqa: F401 - fixture

import pipeline
from pipeline.build import files as outputs
from pipeline.build.lock import LOCK
from pipeline.cli import cli

FAKES = {
    "title": "fake_renderers:TitleRenderer",
    "picky": "fake_renderers:PickyRenderer",
    "sharing": "fake_renderers:SharingRenderer",
    "sharing-twin": "fake_renderers:SharingTwinRenderer",
}


def build(*args):
    return CliRunner().invoke(cli, ["build", *map(str, args)])


def outputs_in(out: Path) -> dict[str, bytes]:
    """Every file the build wrote, the narration cache (kept only by a local build) and the lock aside."""
    return {str(path.relative_to(out)): path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file() and ".cache" not in path.parts and path != out / LOCK}


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes, one thread each, as `--executor dask --workers 2` starts them."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.ERROR) as local, Client(local) as client:
        yield client


def test_fake_outputs_on_a_cluster_are_byte_identical_to_a_local_build_with_the_same_messages(plugins, cluster, tmp_path):  # noqa: F811
    plugins(**FAKES)
    sources = library(tmp_path / "source", 4)
    flags = ("-f", "txt", "-f", "title", "-f", "picky", "-f", "sharing", "-f", "sharing-twin", "--refuse", "cramps-2", sources)
    local = build("--out", tmp_path / "pool", "--jobs", "2", *flags)
    remote = build("--out", tmp_path / "dask", "--executor", "dask", "--scheduler", cluster.scheduler.address, *flags)
    assert local.exit_code == remote.exit_code == 1
    assert "error: cramps-2: picky failed: ValueError: cannot lay out cramps-2" in remote.output
    assert outputs_in(tmp_path / "dask") == outputs_in(tmp_path / "pool")
    assert len(outputs_in(tmp_path / "dask")) == 4 * 5 - 1 + 4 + 1  # every output but one, four manifests, the library page
    assert messages(remote, tmp_path / "dask") == messages(local, tmp_path / "pool")


def test_real_formats_on_a_cluster_are_byte_identical_to_a_local_jobs_2_build(cluster, write_source, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    source = write_source(MINIMAL, name="cramps.yaml")
    local = build("--quiet", "--out", tmp_path / "pool", "--jobs", "2", source)
    remote = build("--quiet", "--out", tmp_path / "dask", "--executor", "dask", "--scheduler", cluster.scheduler.address, source)
    assert local.exit_code == remote.exit_code == 0, remote.output
    built = outputs_in(tmp_path / "dask")
    assert built == outputs_in(tmp_path / "pool")
    assert {"cramps/cramps.mp3", "cramps/cramps.read-along.epub", "cramps/index.html", "cramps/cramps.pdf"} <= set(built)


def test_an_articles_outputs_sharing_work_are_one_task_and_the_costliest_go_first(tmp_path):
    from pipeline import registry
    from pipeline.build import engine
    from pipeline.build.dask_executor import _groups
    from pipeline.source.validate import load_article

    (tmp_path / "cramps.yaml").write_text(MINIMAL, encoding="utf-8")
    article = load_article(tmp_path / "cramps.yaml")
    other = article.model_copy(update={"id": "other"})
    renderers = {name: registry.installed().load(name) for name in ("audio", "epub-read-along", "html", "pdf", "txt")}
    tasks = [engine.Task(each, name, None, {}, tmp_path, "key", (), 1.0, None) for name in renderers for each in (article, other)]
    groups = [[(task.article.id, task.renderer) for task in group] for group in _groups(tasks, renderers)]
    assert groups[:2] == [
        [("cramps", "audio"), ("cramps", "epub-read-along"), ("cramps", "html")],
        [("other", "audio"), ("other", "epub-read-along"), ("other", "html")],
    ]
    assert groups[2:] == [[("cramps", "pdf")], [("other", "pdf")], [("cramps", "txt")], [("other", "txt")]]


def test_a_renderer_that_crashes_or_hangs_on_a_worker_fails_alone_and_the_worker_lives_on(plugins, cluster, write_source, tmp_path):  # noqa: F811
    plugins(killed="fake_renderers:KilledRenderer", hanging="fake_renderers:HangingRenderer")
    workers = cluster.run(os.getpid)
    out = tmp_path / "out"
    flags = ("-f", "killed", "-f", "hanging", "-f", "txt", write_source(MINIMAL, name="cramps.yaml"))
    result = build("--out", out, "--executor", "dask", "--scheduler", cluster.scheduler.address, *flags)
    assert result.exit_code == 1
    assert "error: cramps: killed failed: the renderer crashed: its process was killed by signal 9 (SIGKILL) (on worker tcp://" in result.output
    assert "error: cramps: hanging failed: the renderer timed out after 2 s" in result.output
    assert sorted(outputs.read_manifest(out / "cramps")["outputs"]) == ["txt"]
    assert cluster.run(os.getpid) == workers  # no worker died: the renderers ran in processes of their own


def test_a_worker_killed_in_the_middle_has_its_outputs_rendered_by_another(plugins, cluster, tmp_path):  # noqa: F811
    plugins(slow="fake_renderers:SlowRenderer")
    sources = library(tmp_path / "source", 4)
    out = tmp_path / "out"
    pids = cluster.run(os.getpid)
    killed: list[int] = []

    def kill_a_busy_worker() -> None:
        for _ in range(600):  # until a worker is rendering (bounded: 60 s), then half-way through its render
            busy = [worker for worker, keys in cluster.processing().items() if keys and worker in pids]
            if busy:
                time.sleep(0.5)
                os.kill(pids[busy[0]], signal.SIGKILL)
                killed.append(pids[busy[0]])
                return
            time.sleep(0.1)

    killer = threading.Thread(target=kill_a_busy_worker)
    killer.start()
    result = build("--out", out, "--executor", "dask", "--scheduler", cluster.scheduler.address, "-f", "slow", "-f", "txt", "--seconds", "1.5", sources)
    killer.join()
    assert killed, "no worker was seen rendering"
    assert result.exit_code == 0, result.output
    assert killed[0] not in cluster.run(os.getpid).values()  # that worker is gone (and was replaced)
    for number in range(4):
        folder = out / f"cramps-{number}"
        manifest = outputs.read_manifest(folder)["outputs"]
        assert sorted(manifest) == ["slow", "txt"]
        for record in manifest.values():
            for name, entry in record["files"].items():
                assert outputs.file_record(folder / name) == entry
        assert (folder / f"cramps-{number}.slow").read_text("utf-8") == f"Leg cramps, part {number}\n"
    assert not [path for path in out.rglob("*") if path.name.endswith(".tmp")]


@pytest.fixture
def worker_with_other_code(tmp_path):
    """A one-worker cluster, joined by a `dask worker` whose pipeline is a copy with one renderer
    edited: a machine where someone changed a line and forgot to deploy it everywhere."""
    copy = tmp_path / "other-checkout"
    shutil.copytree(Path(pipeline.__file__).parent, copy / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    with (copy / "pipeline" / "renderers" / "text.py").open("a", encoding="utf-8") as module:
        module.write("\n# a line changed on this machine only\n")
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.ERROR) as local, Client(local) as client:
        before = set(client.scheduler_info()["workers"])
        dask = Path(sys.executable).with_name("dask")
        worker = subprocess.Popen(
            [dask, "worker", local.scheduler_address, "--nthreads", "1", "--no-dashboard"],
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(copy)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            client.wait_for_workers(2, timeout=60)
            [other] = set(client.scheduler_info()["workers"]) - before
            yield local.scheduler_address, other
        finally:
            worker.terminate()
            worker.wait(30)


def test_a_worker_running_other_code_is_refused_by_name_before_anything_is_built(worker_with_other_code, write_source, tmp_path):
    address, other = worker_with_other_code
    out = tmp_path / "out"
    result = build("--out", out, "--executor", "dask", "--scheduler", address, "-f", "txt", "-f", "epub", write_source(MINIMAL, name="cramps.yaml"))
    assert result.exit_code == 1
    assert f"error: worker {other} runs other code for renderer 'txt' (code digest " in result.output
    assert "install the same pipeline and renderers on every worker, then restart it" in result.output
    assert not (out / "cramps").exists()


def test_a_worker_is_told_what_differs_its_version_a_renderer_it_lacks_its_code_or_its_assets():
    from pipeline.build.dask_worker import difference

    here = {"pipeline": "0.1.0", "txt": {"code": "a" * 64, "fingerprint": "b" * 64}}
    assert difference("tcp://w:1", here, here) is None
    assert difference("tcp://w:1", here, {**here, "pipeline": "0.0.9"}).startswith("worker tcp://w:1 runs pipeline 0.0.9, this machine 0.1.0")
    assert difference("tcp://w:1", here, {**here, "txt": "renderer 'txt' could not be loaded"}) == "worker tcp://w:1 cannot load renderer 'txt': renderer 'txt' could not be loaded"
    assert "runs other code for renderer 'txt'" in difference("tcp://w:1", here, {**here, "txt": {"code": "c" * 64, "fingerprint": "b" * 64}})
    assert "would render 'txt' differently (its version or its assets" in difference("tcp://w:1", here, {**here, "txt": {"code": "a" * 64, "fingerprint": "d" * 64}})


def test_ctrl_c_cancels_the_cluster_build_keeps_what_is_written_and_stops_the_renderers(write_source, tmp_path):
    source = write_source(MINIMAL, name="cramps.yaml")
    out = tmp_path / "out"
    (out / "cramps").mkdir(parents=True)
    (out / "cramps" / "cramps.slow").write_text("previous\n", encoding="utf-8")
    command = pipeline_command("build", "--out", out, "--executor", "dask", "--workers", "2", "-f", "slow", "-f", "txt", "--seconds", "97.25", source, plugins={"slow": "fake_renderers:SlowRenderer"})
    process = subprocess.Popen(command, env=pipeline_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    for _ in range(1200):  # until the quick output is written, the slow one rendering (bounded: 60 s)
        if (out / "cramps" / "cramps.txt").is_file() or process.poll() is not None:
            break
        time.sleep(0.05)
    time.sleep(0.5)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal sends Ctrl-C: to the whole foreground group
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stdout + stderr
    assert "interrupted (SIGINT): unfinished outputs were discarded, finished ones are in place" in stderr
    assert "Traceback" not in stdout + stderr
    assert (out / "cramps" / "cramps.slow").read_text("utf-8") == "previous\n"
    assert (out / "cramps" / "cramps.txt").is_file()
    assert not [path for path in out.rglob("*") if path.name.endswith(".tmp")]
    assert not _running("sleep 97.25")


def _running(command_line: str) -> bool:
    for _ in range(100):  # a killed process may take a moment to go
        found = subprocess.run(["pgrep", "-f", "-x", command_line], capture_output=True).returncode == 0
        if not found:
            return False
        time.sleep(0.1)
    return True


def test_executor_dask_without_dask_installed_says_how_to_install_it(monkeypatch, write_source):
    monkeypatch.setitem(sys.modules, "distributed", None)
    monkeypatch.delitem(sys.modules, "pipeline.build.dask_executor", raising=False)
    result = build("--executor", "dask", "--workers", "2", write_source(MINIMAL))
    assert result.exit_code == 2
    assert "--executor dask needs Dask's distributed scheduler" in result.output
    assert "pip install 'pipeline[dask]'" in result.output


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (("--workers", "2"), "--scheduler and --workers choose a Dask cluster: add --executor dask"),
        (("--executor", "dask", "--workers", "2", "--scheduler", "tcp://localhost:8786"), "--scheduler uses a running cluster, --workers starts one here: choose one"),
    ],
)
def test_cluster_options_that_disagree_are_usage_errors(flags, message, write_source):
    result = build(*flags, write_source(MINIMAL))
    assert result.exit_code == 2
    assert message in result.output
