"""Liaison: the system of record of a defence and security cooperation mission."""
