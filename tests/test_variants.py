"""The variant corpus as tests: each text imports and matches its ground truth in tests/variants/expected.yaml.

``tests/variants/runner.py`` runs the same comparison outside pytest and lists every
mismatch at once. Titles and brief texts of traditional-script variants are compared as
printed: the archive keeps the script a bulletin was printed in. Variants whose layout the parser does not read yet
are strict xfails, each with what is missing, so a fix shows up as an unexpected pass.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("variants_runner", Path(__file__).parent / "variants" / "runner.py")
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


# Layouts not read yet: (variant, what is missing).
NOT_YET = {}


def _cases():
    for name in sorted(EXPECTED):
        marks = [pytest.mark.xfail(reason=NOT_YET[name], strict=True)] if name in NOT_YET else []
        yield pytest.param(name, marks=marks, id=name.removesuffix(".txt"))


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(_cases()))
def test_variant_matches_its_ground_truth(name, imported):
    outcome = runner.compare(name, EXPECTED[name], imported.get(name), imported)
    assert outcome.passed, "\n".join(outcome.mismatches)


@pytest.mark.django_db
def test_every_variant_imports_without_a_traceback(imported):
    failed = {name: r["message"] for name, r in imported.items() if r["outcome"] == "failed"}
    assert not failed, failed
