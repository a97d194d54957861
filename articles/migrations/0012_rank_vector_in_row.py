"""Keep an article's rank vector in its row, as its search vector is (PostgreSQL only).

A search ranks each of the newest matches on ``rank_vector``. An article's
row is a few kilobytes with its search vector in it (0008), so PostgreSQL
moved the rank vector, the next largest value, out of line: ranking 1,000
matches fetched 1,000 values from the TOAST table, 9 of a common word's 11 ms
on 100,000 articles; in the row, 2 ms (issue 8). Rows written before this are
rewritten, as 0008 did.
"""

from django.db import migrations

TABLE = "articles_article"


def in_row(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN rank_vector SET STORAGE MAIN")
    # Concatenating an empty vector makes a new value, which is stored the new way.
    schema_editor.execute(
        f"UPDATE {TABLE} SET rank_vector = rank_vector || ''::tsvector"
        " WHERE rank_vector IS NOT NULL"
    )


def out_of_row(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN rank_vector SET STORAGE EXTENDED")


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_article_places")]

    operations = [migrations.RunPython(in_row, out_of_row, elidable=False)]
