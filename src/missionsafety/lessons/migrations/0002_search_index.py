"""The full-text index of lessons.SearchEntry, kept by the database itself.

SQLite: an FTS5 table over (title, text, terms), external content, filled by
triggers. PostgreSQL: a generated tsvector column with Dutch and English
stems (and the simple ``terms``), GIN-indexed.
"""

from django.db import migrations

SQLITE_UP = [
    """CREATE VIRTUAL TABLE lessons_search_fts USING fts5(
        title, text, terms,
        content='lessons_searchentry', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER lessons_search_ai AFTER INSERT ON lessons_searchentry BEGIN
        INSERT INTO lessons_search_fts(rowid, title, text, terms)
        VALUES (new.id, new.title, new.text, new.terms);
    END""",
    """CREATE TRIGGER lessons_search_ad AFTER DELETE ON lessons_searchentry BEGIN
        INSERT INTO lessons_search_fts(lessons_search_fts, rowid, title, text, terms)
        VALUES ('delete', old.id, old.title, old.text, old.terms);
    END""",
    """CREATE TRIGGER lessons_search_au AFTER UPDATE ON lessons_searchentry BEGIN
        INSERT INTO lessons_search_fts(lessons_search_fts, rowid, title, text, terms)
        VALUES ('delete', old.id, old.title, old.text, old.terms);
        INSERT INTO lessons_search_fts(rowid, title, text, terms)
        VALUES (new.id, new.title, new.text, new.terms);
    END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS lessons_search_au",
    "DROP TRIGGER IF EXISTS lessons_search_ad",
    "DROP TRIGGER IF EXISTS lessons_search_ai",
    "DROP TABLE IF EXISTS lessons_search_fts",
]
POSTGRES_UP = [
    """ALTER TABLE lessons_searchentry ADD COLUMN document tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('dutch'::regconfig, title), 'A')
            || setweight(to_tsvector('english'::regconfig, title), 'A')
            || setweight(to_tsvector('dutch'::regconfig, "text"), 'B')
            || setweight(to_tsvector('english'::regconfig, "text"), 'B')
            || setweight(to_tsvector('simple'::regconfig, terms), 'C')
        ) STORED""",
    "CREATE INDEX lessons_search_document_idx ON lessons_searchentry USING GIN (document)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS lessons_search_document_idx",
    "ALTER TABLE lessons_searchentry DROP COLUMN IF EXISTS document",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("lessons", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
