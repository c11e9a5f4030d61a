"""The build engine: which outputs are stale (by their keys), scheduling on a worker pool,
atomic output files and manifests, progress. Imports renderers only through the registry.
"""
