"""`pipeline verify`: checks of built outputs (found through the `pipeline.checks` entry points),
their recorded verdicts and the report. Reads outputs and sources; never renders.
"""
