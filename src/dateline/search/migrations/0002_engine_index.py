"""The engine's own full-text index next to dateline_search_entry, kept in step by triggers.

SQLite: an external-content FTS5 table over the stemmed terms (rowid = page id).
PostgreSQL: a `document` tsvector built with the row's text search configuration
(headline weight A, standfirst B, body C), GIN indexed."""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE dateline_search_suggest USING fts5(
        headline_words, content='dateline_search_entry', content_rowid='page_id',
        tokenize='unicode61 remove_diacritics 0', prefix='1 2 3')""",
    """CREATE TRIGGER dateline_search_suggest_insert AFTER INSERT ON dateline_search_entry BEGIN
        INSERT INTO dateline_search_suggest(rowid, headline_words) VALUES (new.page_id, new.headline_words);
    END""",
    """CREATE TRIGGER dateline_search_suggest_delete AFTER DELETE ON dateline_search_entry BEGIN
        INSERT INTO dateline_search_suggest(dateline_search_suggest, rowid, headline_words)
        VALUES ('delete', old.page_id, old.headline_words);
    END""",
    """CREATE TRIGGER dateline_search_suggest_update AFTER UPDATE ON dateline_search_entry BEGIN
        INSERT INTO dateline_search_suggest(dateline_search_suggest, rowid, headline_words)
        VALUES ('delete', old.page_id, old.headline_words);
        INSERT INTO dateline_search_suggest(rowid, headline_words) VALUES (new.page_id, new.headline_words);
    END""",
    """CREATE VIRTUAL TABLE dateline_search_fts USING fts5(
        headline_terms, standfirst_terms, body_terms,
        content='dateline_search_entry', content_rowid='page_id',
        tokenize='unicode61 remove_diacritics 0', prefix='2 3')""",
    """CREATE TRIGGER dateline_search_fts_insert AFTER INSERT ON dateline_search_entry BEGIN
        INSERT INTO dateline_search_fts(rowid, headline_terms, standfirst_terms, body_terms)
        VALUES (new.page_id, new.headline_terms, new.standfirst_terms, new.body_terms);
    END""",
    """CREATE TRIGGER dateline_search_fts_delete AFTER DELETE ON dateline_search_entry BEGIN
        INSERT INTO dateline_search_fts(dateline_search_fts, rowid, headline_terms,
            standfirst_terms, body_terms)
        VALUES ('delete', old.page_id, old.headline_terms, old.standfirst_terms, old.body_terms);
    END""",
    """CREATE TRIGGER dateline_search_fts_update AFTER UPDATE ON dateline_search_entry BEGIN
        INSERT INTO dateline_search_fts(dateline_search_fts, rowid, headline_terms,
            standfirst_terms, body_terms)
        VALUES ('delete', old.page_id, old.headline_terms, old.standfirst_terms, old.body_terms);
        INSERT INTO dateline_search_fts(rowid, headline_terms, standfirst_terms, body_terms)
        VALUES (new.page_id, new.headline_terms, new.standfirst_terms, new.body_terms);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS dateline_search_suggest_update",
    "DROP TRIGGER IF EXISTS dateline_search_suggest_delete",
    "DROP TRIGGER IF EXISTS dateline_search_suggest_insert",
    "DROP TABLE IF EXISTS dateline_search_suggest",
    "DROP TRIGGER IF EXISTS dateline_search_fts_update",
    "DROP TRIGGER IF EXISTS dateline_search_fts_delete",
    "DROP TRIGGER IF EXISTS dateline_search_fts_insert",
    "DROP TABLE IF EXISTS dateline_search_fts",
]

POSTGRESQL = [
    "ALTER TABLE dateline_search_entry ADD COLUMN document tsvector",
    """CREATE FUNCTION dateline_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.ts_config = 'simple' THEN
            -- No PostgreSQL stemmer for the language: index the terms stemmed by Dateline.
            NEW.document :=
                setweight(to_tsvector('simple', NEW.headline_terms), 'A')
                || setweight(to_tsvector('simple', NEW.standfirst_terms), 'B')
                || setweight(to_tsvector('simple', NEW.body_terms), 'C');
        ELSE
            NEW.document :=
                setweight(to_tsvector(NEW.ts_config::regconfig, NEW.headline), 'A')
                || setweight(to_tsvector(NEW.ts_config::regconfig, NEW.standfirst), 'B')
                || setweight(to_tsvector(NEW.ts_config::regconfig, NEW.body), 'C');
        END IF;
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER dateline_search_document BEFORE INSERT OR UPDATE
        ON dateline_search_entry FOR EACH ROW EXECUTE FUNCTION dateline_search_document()""",
    "CREATE INDEX dateline_search_document_gin ON dateline_search_entry USING gin (document)",
    """CREATE INDEX dateline_search_headline_words_gin ON dateline_search_entry
        USING gin (to_tsvector('simple'::regconfig, headline_words))""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS dateline_search_document ON dateline_search_entry",
    "DROP FUNCTION IF EXISTS dateline_search_document()",
    "DROP INDEX IF EXISTS dateline_search_headline_words_gin",
    "DROP INDEX IF EXISTS dateline_search_document_gin",
    "ALTER TABLE dateline_search_entry DROP COLUMN IF EXISTS document",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("dateline_search", "0001_index")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
