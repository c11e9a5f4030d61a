"""The built-in renderers; each is registered as a `pipeline.renderers` entry point."""
