"""Synthetic sample scans: invented applicants' forms and documents, rendered and photocopied.

Everything this package makes is synthetic: names, dates and numbers are invented.
"""
