"""Accessible publishing pipeline for patient health information.

Layers, each importing only those below it: cli -> build, verify, lint -> renderers ->
speech -> text -> model; source (reading and validating a file) -> model. See README,
"How it works".
"""

from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "assets"
"""Stylesheets, fonts, lexicons and schemas shipped with the package."""
