"""What every table shares: billing, names from the stage settings, index metadata, and one
connection for transactions."""

from __future__ import annotations

from typing import Any

from pynamodb.connection import Connection as DynamoConnection
from pynamodb.indexes import AllProjection
from pynamodb.transactions import TransactWrite

from ...config import settings

_settings = settings()


class _Meta:
    billing_mode = "PAY_PER_REQUEST"


def table_meta(name: str) -> Any:
    return type("Meta", (_Meta,), {"table_name": _settings.table(name)})


def index_meta(name: str, projection: type = AllProjection) -> Any:
    return type("Meta", (), {"index_name": name, "projection": projection()})


_dynamo: DynamoConnection | None = None


def transaction() -> TransactWrite:
    """One TransactWriteItems request, over a connection shared by the whole process."""
    global _dynamo
    if _dynamo is None:
        _dynamo = DynamoConnection()
    return TransactWrite(connection=_dynamo)
