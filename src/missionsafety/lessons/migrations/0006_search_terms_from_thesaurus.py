"""Recompute the ``terms`` of every search entry with the bilingual thesaurus
(thesaurus.json): its group keys, of phrases too, make an entry in one
language answer a query in the other. The full-text index follows (FTS5
triggers on SQLite, the generated column on PostgreSQL)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

BATCH = 1000


def recompute_terms(apps: Any, schema_editor: Any) -> None:
    from missionsafety.lessons.text import index_terms

    SearchEntry = apps.get_model("lessons", "SearchEntry")
    batch = []
    for entry in SearchEntry.objects.only("id", "title", "text", "terms").iterator(
        chunk_size=BATCH
    ):
        terms = index_terms(f"{entry.title}\n{entry.text}")
        if terms != entry.terms:
            entry.terms = terms
            batch.append(entry)
        if len(batch) >= BATCH:
            SearchEntry.objects.bulk_update(batch, ["terms"])
            batch = []
    SearchEntry.objects.bulk_update(batch, ["terms"])


class Migration(migrations.Migration):
    dependencies = [("lessons", "0005_lesson_list_indexes")]

    operations = [
        migrations.RunPython(recompute_terms, migrations.RunPython.noop, elidable=True)
    ]
