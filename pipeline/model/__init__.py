"""The article every renderer sees (typed, immutable, validated), its inline markup, the rules
its text obeys, and one walk over it. Imports nothing else of the pipeline: every other layer
builds on this one.
"""

from pipeline.model.article import Article, Block, BulletList, FaqEntry, Issuer, KeyPoint, Logo, Reference, Section, Table, TableBlock

__all__ = ["Article", "Block", "BulletList", "FaqEntry", "Issuer", "KeyPoint", "Logo", "Reference", "Section", "Table", "TableBlock"]
