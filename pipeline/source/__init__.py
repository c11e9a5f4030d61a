"""Reading a source file: safe YAML with positions, size limits, and validation into the model,
every problem reported at once as `FILE:LINE:COL: error: ...`. Imports the model, nothing above it.
"""
