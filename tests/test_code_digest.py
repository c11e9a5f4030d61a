"""An output's key holds the code that shapes it: all of it (checked against what rendering
really imports), and nothing it never runs."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys

from conftest import MINIMAL, ROOT

from pipeline import registry
from pipeline.code_digest import source_files
from pipeline.source.validate import load_article

# Renders one format of an article in a fresh interpreter, then lists the files of every
# module of the pipeline package it has imported.
RENDER_AND_LIST = """
import json, pickle, sys
from pathlib import Path
from pipeline.registry import installed, RenderJob
name, source, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
renderer = installed().load(name)
out.mkdir()
job = RenderJob(
    path=out / renderer.filename("article"),
    options={key: option.default for key, option in renderer.options.items()},
    sidecars={suffix: out / f"article{suffix}" for suffix in renderer.sidecars},
    cache_dir=out / "cache",
    linked={required: tuple(names) for required, names in json.loads(sys.argv[4]).items()},
)
renderer.render(pickle.loads(source.read_bytes()), job)
modules = [module for key, module in list(sys.modules.items()) if key == "pipeline" or key.startswith("pipeline.")]
print(json.dumps(sorted({str(Path(module.__file__).resolve()) for module in modules if getattr(module, "__file__", None)})))
"""


def test_every_pipeline_module_a_renderer_runs_is_in_its_code_digest(tmp_path):
    yaml = tmp_path / "cramps.yaml"
    yaml.write_text(MINIMAL, encoding="utf-8")
    source = tmp_path / "cramps.pickle"  # the article, loaded and validated here: the child only renders
    source.write_bytes(pickle.dumps(load_article(yaml)))
    installed = registry.installed()

    def linked(name: str) -> dict[str, tuple[str, ...]]:  # what the engine passes: found here, not in the child
        return {required: installed.load(required).output_files("article") for required in installed.load(name).requires}

    running = {
        name: subprocess.Popen(
            [sys.executable, "-c", RENDER_AND_LIST, name, str(source), str(tmp_path / name), json.dumps(linked(name))], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for name in installed.names
    }
    finished = {name: (process.communicate(timeout=300), process.returncode) for name, process in running.items()}
    for name, ((out, err), status) in finished.items():
        assert status == 0, err.decode()
        imported = set(json.loads(out))
        module = installed.entry_points[name].value.partition(":")[0]
        digested = {str(path) for path in source_files(module)}
        assert imported - digested == set(), name
        if name in {"audio", "epub-read-along"}:  # run in a child process, never imported here
            assert str(ROOT / "pipeline" / "speech" / "espeak_worker.py") in digested


def test_code_a_renderer_never_runs_is_not_in_its_code_digest():
    files = {path.relative_to(ROOT).as_posix() for path in source_files("pipeline.renderers.text")}
    assert {"pipeline/renderers/text.py", "pipeline/text/sentences.py", "pipeline/model/article.py"} <= files
    assert not {"pipeline/cli.py", "pipeline/verify/engine.py", "pipeline/renderers/pdf.py", "pipeline/speech/narration.py"} & files
    assert not any(name.startswith(("pipeline/verify/", "pipeline/lint/")) for name in files)


def test_relative_imports_and_a_plugins_own_package_are_followed(tmp_path, monkeypatch):
    package = tmp_path / "braille_kit"
    (package / "tables").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "renderer.py").write_text(
        "from . import contractions\nfrom .tables import (  # grouped\n    grade2,  # the second\n    grade3 as three,\n)\n"
        "import pipeline.text.sentences as sentences, \\\n    braille_kit.tables.grade4\n"
    )
    (package / "contractions.py").write_text("def lazy():\n    from braille_kit.tables import grade1\n")
    (package / "tables" / "__init__.py").write_text("from ..contractions import lazy\n")
    (package / "tables" / "grade1.py").write_text("")
    (package / "tables" / "grade2.py").write_text("")
    (package / "tables" / "grade3.py").write_text("")
    (package / "tables" / "grade4.py").write_text("")
    (package / "unused.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    files = {path.relative_to(tmp_path).as_posix() for path in source_files("braille_kit.renderer") if tmp_path in path.parents}
    assert files == {
        "braille_kit/__init__.py",
        "braille_kit/renderer.py",
        "braille_kit/contractions.py",
        "braille_kit/tables/__init__.py",
        "braille_kit/tables/grade1.py",
        "braille_kit/tables/grade2.py",
        "braille_kit/tables/grade3.py",
        "braille_kit/tables/grade4.py",
    }
    assert ROOT / "pipeline" / "text" / "sentences.py" in source_files("braille_kit.renderer")
