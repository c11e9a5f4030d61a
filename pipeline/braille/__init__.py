"""The braille edition's making: liblouis translation per language (`tables`, `translation`),
BANA page layout (`layout`, `edition`), and the two files (`brf`, `pef`).

A layer beside `pipeline.speech`: it imports the model and the text layer; renderers and
checks import it.
"""
