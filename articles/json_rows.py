"""
Small lists of child rows fetched with their parent row, as one JSON value each.

The article page shows an article's tags, its figures and its author's social
links: three short lists that would cost a query each, when issue 8 allows an
article page four in all. ``JSONRows(queryset)`` is a scalar subquery that
returns the rows of a ``values()`` queryset as a JSON array (PostgreSQL and
SQLite alike); ``prefetch_rows()`` turns them back into model instances where
``instance.<relation>.all()`` finds them, as ``prefetch_related`` would.
"""

import datetime
import json

from django.conf import settings
from django.db.models import JSONField, Subquery
from django.utils import timezone


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


def sorted_rows(model, rows, order_by, *, db="default"):
    """``model`` instances built from ``rows``, sorted by the columns ``order_by`` (ascending)."""
    if isinstance(rows, str):  # a backend that returned the JSON undecoded
        rows = json.loads(rows)
    fields = model._meta.concrete_fields
    names = [field.attname for field in fields]
    objects = [
        model.from_db(db, names, [_value(f, row.get(f.attname)) for f in fields]) for row in rows
    ]
    # Sorted as values, not as JSON text (dates), with empty values last.
    objects.sort(key=lambda obj: [(v is None, v) for v in (getattr(obj, n) for n in order_by)])
    return objects


def prefetch_rows(instance, relation, model, rows, *, order_by):
    """Set ``instance.<relation>.all()`` to ``model`` instances built from ``rows``.

    ``order_by`` names the columns (ascending) that give the list its order.
    """
    objects = sorted_rows(model, rows, order_by, db=instance._state.db)
    queryset = getattr(instance, relation).all()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[relation] = queryset
    return objects


def _value(field, value):
    """A JSON value as the field holds it: dates and times parsed, booleans from SQLite's
    0 and 1, a JSON column's text (SQLite) decoded."""
    if value is None:
        return None
    if isinstance(field, JSONField):
        return json.loads(value) if isinstance(value, str) else value
    value = field.to_python(value)
    if isinstance(value, datetime.datetime) and settings.USE_TZ and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)  # SQLite keeps UTC without an offset
    return value
