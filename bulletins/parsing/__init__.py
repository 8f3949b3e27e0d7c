"""Parsing: the plain text of a Red Cross bulletin (简报) in, dataclasses out.

Pure Python on purpose: no Django import, so the parser can be tested on seed text
and reused by the importer, the benchmarks and the command line alike.

Modules, in the order a text meets them: :mod:`.decoding` (bytes to text),
:mod:`.text` (normalisation), :mod:`.webpage` (the chrome of a web repost out,
its posting date kept as a fallback), :mod:`.masthead`, :mod:`.blocks` (split and
classify), :mod:`.formats` (one module per bulletin format, tried in the order
of :mod:`.formats.registry`), :mod:`.bulletin` (the entry point,
:func:`~bulletins.parsing.bulletin.parse_bulletin`) and :mod:`.results` (the
dataclasses and :class:`~bulletins.parsing.results.ParseError`). :mod:`.dates`
and :mod:`.shapes` (what a headline, byline or brief item looks like) serve
them all.

The input is text extracted from PDFs, in three broad shapes (see DESIGN.md §2):

* plain-text bulletins (湖北省红十字会简报): masthead lines, bare headlines, paragraphs,
  a ``简 讯`` section of ``▲`` items and a distribution footer;
* markdown-like bulletins (浙江红十字): ``#`` headings, section headings such as
  ``每月要览``, ``□通讯员`` bylines, regional headlines ``宁波:…``;
* city feature pages (十堰, 石家庄): no masthead at all, one long article with bare
  subheadings and runs of photo captions.

The pipeline is: normalise text -> drop a web page's chrome -> read the masthead line by line -> split into
blank-line separated *blocks* -> drop footers and noise -> the first format that
recognises the text marks captions and walks the remaining blocks once, building
articles and brief items.  Every pass is linear in
the number of blocks, so parsing stays far cheaper than word segmentation.

Conventions worth knowing when reading the output:

* ``ParsedArticle.title`` is the headline as printed, a regional prefix included
  (``宁波:开展…``); the prefix is also copied, without ``市``, into ``region``.
* ``ParsedArticle.byline`` keeps the role for reporter lines (``□通讯员 贺佳晶`` ->
  ``通讯员 贺佳晶``) and is the bare name for credits and signatures
  (``(文/图:张雷)`` -> ``张雷``, a trailing ``沈宏轩`` -> ``沈宏轩``).
* ``body`` paragraphs are separated by one blank line; subheadings of a feature page
  stay in the body as paragraphs of their own.
* A signed commentary whose title and author follow its body takes that title; the
  heading printed above it (a column name) becomes its ``section``.
* ``ParsedIssue.kind`` is "bulletin" (masthead found: number, date or a periodical's
  name) or "feature"; a feature page's ``date`` is the latest precise date in its
  text, flagged in ``review_reasons``.

Known limits: inside numbered bulletins a bare subheading is indistinguishable from
the first half of a paragraph cut by a page break, so it is joined to the next block
(page-break repair matters more); a caption is recognised only by the photo gap (two
or more blank lines) before it.
"""
