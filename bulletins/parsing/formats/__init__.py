"""Bulletin formats, one module each; :mod:`.registry` lists them in the order they are tried."""
