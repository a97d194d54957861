"""
Small lists of child rows fetched with their parent row, as one JSON value each.

The article page shows an article's tags, its figures and its author's social
links: three short lists that would cost a query each, when issue 8 allows an
article page four in all. ``JSONRows(queryset)`` is a scalar subquery that
returns the rows of a ``values()`` queryset as a JSON array (PostgreSQL and
SQLite alike); ``prefetch_rows()`` turns them back into model instances where
``instance.<relation>.all()`` finds them, as ``prefetch_related`` would.
"""

import json

from django.db.models import JSONField, Subquery


class JSONRows(Subquery):
    """The rows of ``queryset.values(*attnames)`` as ``[{attname: value}, …]``, in no order.

    Only concrete columns of the queryset's own model may be named: they are
    read back from the subquery by those names. Neither database promises to
    aggregate in the subquery's order, so ``prefetch_rows`` sorts.
    """

    def __init__(self, queryset):
        self.names = list(queryset.query.values_select)
        if not self.names:
            raise ValueError("JSONRows needs a values() queryset naming its columns")
        super().__init__(queryset, output_field=JSONField())

    def as_sql(self, compiler, connection, template=None, **extra_context):
        sql, params = super().as_sql(compiler, connection, template, **extra_context)
        quote = connection.ops.quote_name
        if connection.vendor == "postgresql":
            # jsonb, which Django's PostgreSQL backend hands over as text, like SQLite.
            rows = "COALESCE(jsonb_agg(to_jsonb(_rows)), '[]'::jsonb)"
            return f"(SELECT {rows} FROM {sql} _rows)", params  # noqa: S608 (no input)
        pairs = ", ".join(f"'{name}', _rows.{quote(name)}" for name in self.names)
        rows = f"json_group_array(json_object({pairs}))"
        # Column names are the model's own attnames: nothing here comes from a request.
        return f"(SELECT COALESCE({rows}, '[]') FROM {sql} _rows)", params  # noqa: S608


def prefetch_rows(instance, relation, model, rows, *, order_by):
    """Set ``instance.<relation>.all()`` to ``model`` instances built from ``rows``.

    ``order_by`` names the columns (ascending) that give the list its order.
    """
    if isinstance(rows, str):  # a backend that returned the JSON undecoded
        rows = json.loads(rows)
    rows = sorted(rows, key=lambda row: tuple(row[name] for name in order_by))
    names = [field.attname for field in model._meta.concrete_fields]
    objects = [
        model.from_db(instance._state.db, names, [row.get(name) for name in names]) for row in rows
    ]
    queryset = getattr(instance, relation).all()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[relation] = queryset
    return objects
