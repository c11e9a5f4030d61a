"""The braille edition's making: liblouis translation per language (`tables`, `translation`),
BANA page layout (`layout`, `edition`), and the two files (`brf`, `pef`).

It may import `pipeline.text` and `pipeline.model`; renderers and checks import it.
"""
