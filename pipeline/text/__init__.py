"""Text shaping shared by every format: sentences and words, language facts, the ids of spoken
text, and the words the pipeline adds. Imports the model only; renderers and speech build on it.
"""
