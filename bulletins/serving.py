"""What a web server process does once, before its first request.

Why: the segmenter (needed by every search) takes half a second to load, which
the first visitor to search would otherwise wait for; and once it and Django's
own tables are loaded, they stay for the life of the process. Python's full
garbage collection walks every object it tracks, and with those in it a full
pass took 70-90 ms, in the middle of whichever request happened to trigger it
(the slowest repeats of warm pages at a million articles). ``gc.freeze()``
moves everything alive at that point out of the collector's view, so later
passes walk only what requests created.
"""

from __future__ import annotations

import gc


def prepare_process() -> None:
    """Load what every worker needs, then freeze the start-up's objects (call once, after ``django.setup()``)."""
    from django.urls import get_resolver

    from .analysis.segmentation import get_segmenter

    get_segmenter()
    get_resolver().url_patterns  # noqa: B018 - imports every view module now, not in a visitor's request
    gc.collect()
    gc.freeze()
