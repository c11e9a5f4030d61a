"""Start-up stays light: only a renderer's worker imports its heavy library, never the command."""

from __future__ import annotations

import subprocess

from conftest import FIRST_ARTICLE, MINIMAL, ROOT, pipeline_command, pipeline_env

HEAVY = {"weasyprint", "ebooklib", "pyttsx3", "fake_heavy"}
LIST_HEAVY = f"print('heavy:', sorted(name for name in sys.modules if name.split('.')[0] in {HEAVY}))"


def heavy_modules_after(*args: object) -> str:
    command = pipeline_command(*args, plugins={"heavy": "fake_renderers:HeavyRenderer"}, epilogue=LIST_HEAVY)
    process = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=pipeline_env())
    assert process.returncode == 0, process.stdout + process.stderr
    return process.stdout.splitlines()[-1]


def test_validate_imports_no_renderer_library():
    assert heavy_modules_after("validate", FIRST_ARTICLE) == "heavy: []"


def test_build_of_every_installed_format_imports_no_renderer_library_in_the_command(write_source, tmp_path):
    source = write_source(MINIMAL, name="cramps.yaml")
    assert heavy_modules_after("build", "--quiet", "--out", tmp_path / "out", source) == "heavy: []"
    assert (tmp_path / "out" / "cramps" / "cramps.heavy").read_text() == "heavy"  # it did run, in a worker
