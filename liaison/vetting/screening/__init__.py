"""Sanctions screening: list import, matching, hits and their adjudication (issue 7)."""
