"""Typed models shared by every stage of the intake pipeline.

This package imports nothing else from the project: extractors and the pipeline depend on it,
never the other way round.
"""
