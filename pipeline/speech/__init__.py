"""The edition for the ear: the script (what is said, in what order, with which pauses), the
pronunciation lexicon, the narration (synthesised once per article and cached) and its espeak-ng
worker. Imports text and the model; knows nothing of renderers or the plugin interface.
"""
