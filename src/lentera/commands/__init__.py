"""Verbs of the ``lentera`` command, one module each (see :mod:`lentera.cli`)."""
