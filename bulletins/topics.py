"""Loading the starting topic taxonomy, shared by the data migration and the services.

Takes the model class as an argument so the migration can pass its historical
model; the taxonomy itself lives in ``bulletins.analysis.TOPICS`` beside the
code that assigns topics.
"""

from __future__ import annotations


def load_starting_topics(topic_model) -> int:
    """Create every starting topic missing by slug; topics editors already changed are left alone."""
    from .analysis import TOPICS

    created = 0
    for topic in TOPICS:
        _, was_created = topic_model.objects.get_or_create(
            slug=topic["slug"],
            defaults={"name": topic["name"], "description": topic["description"], "keywords": list(topic["keywords"])},
        )
        created += was_created
    return created
