"""PostgreSQL: the tsvector moves out of dateline_search_entry into a narrow table.

dateline_search_document holds only what finding and ranking need (page id, language,
section, publish time, tsvector), so the rows a query walks are a fraction of the size of
the entry rows with the stories' text and terms (which had pushed every tsvector out to
TOAST: three buffer reads per story checked). The texts are read only for the page of
results shown. The same trigger as before builds the tsvector from the entry row, now into
the narrow table; the existing tsvectors are copied over, so a populated index needs no
reindex. SQLite is unchanged (its FTS5 tables are already apart from the text)."""

from django.db import migrations

BUILD_DOCUMENT = """
    IF NEW.ts_config = 'simple' THEN
        -- No PostgreSQL stemmer for the language: index the terms stemmed by Dateline.
        built :=
            setweight(to_tsvector('simple', NEW.headline_terms), 'A')
            || setweight(to_tsvector('simple', NEW.standfirst_terms), 'B')
            || setweight(to_tsvector('simple', NEW.body_terms), 'C');
    ELSE
        built :=
            setweight(to_tsvector(NEW.ts_config::regconfig, NEW.headline), 'A')
            || setweight(to_tsvector(NEW.ts_config::regconfig, NEW.standfirst), 'B')
            || setweight(to_tsvector(NEW.ts_config::regconfig, NEW.body), 'C');
    END IF;
"""

FORWARDS = [
    """CREATE TABLE dateline_search_document (
        page_id integer PRIMARY KEY,
        language varchar(16) NOT NULL,
        section_id integer NULL,
        published_at timestamp with time zone NOT NULL,
        document tsvector NOT NULL
    )""",
    """INSERT INTO dateline_search_document (page_id, language, section_id, published_at, document)
        SELECT page_id, language, section_id, published_at, COALESCE(document, ''::tsvector)
        FROM dateline_search_entry""",
    "DROP TRIGGER IF EXISTS dateline_search_document ON dateline_search_entry",
    "DROP FUNCTION IF EXISTS dateline_search_document()",
    "DROP INDEX IF EXISTS dateline_search_document_gin",
    "ALTER TABLE dateline_search_entry DROP COLUMN IF EXISTS document",
    f"""CREATE FUNCTION dateline_search_document_write() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        built tsvector;
    BEGIN
        {BUILD_DOCUMENT}
        INSERT INTO dateline_search_document
            (page_id, language, section_id, published_at, document)
        VALUES (NEW.page_id, NEW.language, NEW.section_id, NEW.published_at, built)
        ON CONFLICT (page_id) DO UPDATE SET
            language = EXCLUDED.language,
            section_id = EXCLUDED.section_id,
            published_at = EXCLUDED.published_at,
            document = EXCLUDED.document;
        IF TG_OP = 'UPDATE' AND OLD.page_id <> NEW.page_id THEN
            DELETE FROM dateline_search_document WHERE page_id = OLD.page_id;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION dateline_search_document_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM dateline_search_document WHERE page_id = OLD.page_id;
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION dateline_search_document_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE dateline_search_document;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER dateline_search_document_write AFTER INSERT OR UPDATE
        ON dateline_search_entry FOR EACH ROW EXECUTE FUNCTION dateline_search_document_write()""",
    """CREATE TRIGGER dateline_search_document_delete AFTER DELETE
        ON dateline_search_entry FOR EACH ROW EXECUTE FUNCTION dateline_search_document_delete()""",
    # A flush of the test database truncates the entries: the documents go with them.
    """CREATE TRIGGER dateline_search_document_truncate AFTER TRUNCATE
        ON dateline_search_entry FOR EACH STATEMENT
        EXECUTE FUNCTION dateline_search_document_truncate()""",
    """CREATE INDEX dateline_search_document_newest
        ON dateline_search_document (language, published_at DESC, page_id DESC)""",
    "CREATE INDEX dateline_search_document_gin ON dateline_search_document USING gin (document)",
    "ANALYZE dateline_search_document",
]

BACKWARDS = [
    "DROP TRIGGER IF EXISTS dateline_search_document_truncate ON dateline_search_entry",
    "DROP TRIGGER IF EXISTS dateline_search_document_delete ON dateline_search_entry",
    "DROP TRIGGER IF EXISTS dateline_search_document_write ON dateline_search_entry",
    "DROP FUNCTION IF EXISTS dateline_search_document_truncate()",
    "DROP FUNCTION IF EXISTS dateline_search_document_delete()",
    "DROP FUNCTION IF EXISTS dateline_search_document_write()",
    "ALTER TABLE dateline_search_entry ADD COLUMN document tsvector",
    """UPDATE dateline_search_entry e SET document = d.document
        FROM dateline_search_document d WHERE d.page_id = e.page_id""",
    "DROP TABLE dateline_search_document",
    f"""CREATE FUNCTION dateline_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        built tsvector;
    BEGIN
        {BUILD_DOCUMENT}
        NEW.document := built;
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER dateline_search_document BEFORE INSERT OR UPDATE
        ON dateline_search_entry FOR EACH ROW EXECUTE FUNCTION dateline_search_document()""",
    "CREATE INDEX dateline_search_document_gin ON dateline_search_entry USING gin (document)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("dateline_search", "0003_time_key")]

    operations = [migrations.RunPython(_run(FORWARDS), _run(BACKWARDS))]
