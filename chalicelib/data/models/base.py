"""What every table shares: billing, names from the stage settings, index metadata, JSON kept
compact, and one connection for transactions."""

from __future__ import annotations

import json
from typing import Any

from pynamodb.attributes import JSONAttribute
from pynamodb.connection import Connection as DynamoConnection
from pynamodb.indexes import AllProjection, Projection
from pynamodb.transactions import TransactWrite

from ...config import settings

_settings = settings()


class _Meta:
    billing_mode = "PAY_PER_REQUEST"


def table_meta(name: str) -> Any:
    return type("Meta", (_Meta,), {"table_name": _settings.table(name)})


def index_meta(name: str, projection: type | Projection = AllProjection) -> Any:
    """An index's Meta; `projection` a PynamoDB projection class, or an instance (INCLUDE)."""
    chosen = projection() if isinstance(projection, type) else projection
    return type("Meta", (), {"index_name": name, "projection": chosen})


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class CompactJSONAttribute(JSONAttribute):
    """JSON stored as UTF-8 text without spaces or `\\u` escapes: a character outside ASCII costs
    the item its 2-4 UTF-8 bytes, not 6-12. Reads like any JSONAttribute."""

    def serialize(self, value: Any) -> str | None:
        return None if value is None else _compact(value)


def compact_json_size(value: Any) -> int:
    """The bytes `value` takes in a CompactJSONAttribute."""
    return len(_compact(value).encode("utf-8"))


_dynamo: DynamoConnection | None = None


def transaction() -> TransactWrite:
    """One TransactWriteItems request, over a connection shared by the whole process."""
    global _dynamo
    if _dynamo is None:
        _dynamo = DynamoConnection()
    return TransactWrite(connection=_dynamo)
