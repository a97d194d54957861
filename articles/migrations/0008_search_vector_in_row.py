"""Keep an article's search vector in its row, not in TOAST storage (PostgreSQL only).

A search reads the newest matches by walking the date index and testing
each article's vector; out of line, every test fetched the vector from the
TOAST table, and a common word cost 15 to 70 ms on 100,000 articles, in line
2 to 9 ms (issue 8). A vector too large for the row still moves out of line.
Rows written before this keep their storage until rewritten, so this rewrites
them (about half a minute for 100,000 articles).
"""

from django.db import migrations

TABLE = "articles_article"


def in_row(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN search_vector SET STORAGE MAIN")
    # Concatenating an empty vector makes a new value, which is stored the new way.
    schema_editor.execute(
        f"UPDATE {TABLE} SET search_vector = search_vector || ''::tsvector"
        " WHERE search_vector IS NOT NULL"
    )


def out_of_row(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN search_vector SET STORAGE EXTENDED")


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_section_notes")]

    operations = [migrations.RunPython(in_row, out_of_row, elidable=False)]
