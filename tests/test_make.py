"""`make all` uses the pipeline's change detection: with nothing changed it does nothing visible."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from conftest import MINIMAL, ROOT
from test_build import stamps


@pytest.mark.skipif(shutil.which("make") is None, reason="MAKE NOT INSTALLED: the Makefile cannot be tested")
def test_make_all_with_nothing_changed_prints_only_the_strict_count_and_touches_nothing(write_source, tmp_path):
    source = write_source(MINIMAL, name="cramps.yaml")
    out = tmp_path / "out"
    # -o: take the installed virtualenv as it is (a test must not reinstall it)
    make = ["make", "-o", ".venv/.installed", "all", f"OUT={out}", f"SOURCES={source}", "BUILD_FLAGS=--format txt"]
    # as a user types it, not as a sub-make of `make test` (which would announce its directory)
    env = {name: value for name, value in os.environ.items() if name not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}
    first = subprocess.run(make, cwd=ROOT, capture_output=True, text=True, env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert (out / "cramps" / "cramps.txt").is_file()
    assert (out / "cramps" / "verify.json").is_file()  # the verdicts the second run reuses
    before = stamps(out)
    second = subprocess.run(make, cwd=ROOT, capture_output=True, text=True, env=env)
    # --strict prints the count of checks even when quiet, so CI's log says none was skipped
    assert (second.returncode, second.stdout, second.stderr) == (0, "1 check: 1 passed, 0 failed, 0 skipped\n", "")
    assert stamps(out) == before
