"""Analysis: what the archive needs to know about a parsed text, beyond its structure.

Pure Python (no Django): strings in, lists and dataclasses out, so the import
can run it in worker processes and the tests can run it on seed text.

* :mod:`.segmentation` — jieba search-mode tokens (for the ``simple`` tsvector
  and for visitors' queries) and the plain words behind them, one pass per text;
* :mod:`.keywords` — TF-IDF keywords from those words;
* :mod:`.topics` — the topic taxonomy (defined once) and the rule assigning it;
* :mod:`.organisations` — organisation mentions with canonical names;
* :mod:`.gazetteer` — the place names (defined once) that organisations and the
  parser resolve against;
* :mod:`.words` — small helpers they share.
"""
