"""Importing bulletin files: read (text, PDF, Word, web pages), prepare (bytes to analysed dataclasses, no
Django), store (the writes), run (the batch).

This package's ``__init__`` imports nothing, so that worker processes can load
:mod:`bulletins.importing.prepare` and :mod:`bulletins.importing.workers`
before Django is set up.
"""
