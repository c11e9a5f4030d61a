"""The build engine: which outputs are stale (by their keys), rendering them through an
executor (a pool of worker processes here, or a Dask cluster: the optional extra), atomic
output files and manifests, progress. Imports renderers only through the registry.
"""
