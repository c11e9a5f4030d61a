"""Stands for a heavy library (WeasyPrint, ebooklib, pyttsx3) in tests of what gets imported where."""

WEIGHT = "heavy"
