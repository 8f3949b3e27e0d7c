"""The variant corpus as tests: each text imports and matches its ground truth in expected.yaml.

Named so that a plain ``pytest`` does not collect it while the parser is being reworked;
run it explicitly (``pytest tests/variants/check_variants.py``) to see the worklist.
Once the variants pass, rename it to ``test_variants.py``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("variants_runner", Path(__file__).with_name("runner.py"))
runner = sys.modules["variants_runner"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(runner)

EXPECTED = runner.load_expected()


@pytest.fixture(scope="module")
def imported(django_db_setup, django_db_blocker):
    """Import the whole corpus once, in order (a duplicate needs its first copy), and remove it afterwards."""
    with django_db_blocker.unblock():
        from bulletins.models import Issue

        results = runner.import_variants(runner.variant_paths())
        yield results
        Issue.objects.filter(pk__in=[r["issue_id"] for r in results.values() if r.get("issue_id")]).delete()


def test_every_variant_has_ground_truth():
    assert {p.name for p in runner.variant_paths()} == set(EXPECTED)
    assert len(EXPECTED) >= 30


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_variant_matches_its_ground_truth(name, imported):
    outcome = runner.compare(name, EXPECTED[name], imported.get(name), imported)
    assert outcome.passed, "\n".join(outcome.mismatches)
