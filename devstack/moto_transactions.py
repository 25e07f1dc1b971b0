"""TransactWriteItems in moto at a cost that does not grow with the tables: an item-level undo log.

moto's `transact_write_items` deep-copies every table a transaction touches before applying
it, so that it can put the copies back if the transaction is cancelled: on every call, the
whole table (1 ms per transaction on an empty table, about 100 ms at 5,000 items, 400 ms at
20,000). DynamoDB's cost does not depend on the table's size, and the local stack's should
not either.

`install()` keeps moto's own code for applying a transaction (its checks, its order, the
cancellation reasons it gives), and changes only how a cancelled one is undone:

- before moto runs, the undo log remembers each item the transaction names (per table and
  key): a copy of the item as it stands, or that there is none;
- moto's copies of those tables are not made (inside moto's module `copy.deepcopy` hands a
  table the log covers back as it is, so moto's "put the copy back" puts back the same table);
- if moto raises anything (a condition failing, a validation error), exactly those items are
  put back as they were, and stream records the transaction added are dropped: all or
  nothing, as DynamoDB.

Indexes need nothing: moto keeps no index structures, it finds an index's items in the
table's items on every Query and Scan (`Table.query`, `Table.has_idx_items`), so restoring
the items restores what every index returns. An item whose key the log cannot read (a
malformed request, which moto refuses without writing it) leaves its table to moto's copy,
as before. The same ClientRequestToken twice is what moto makes of it (moto 5 ignores the
token and applies the transaction again; DynamoDB would answer the second from the first):
the log does not change that.

Only for the local stack (`devstack/aws.py` installs it); nothing deployed imports devstack.
"""

from __future__ import annotations

import contextvars
import copy
from dataclasses import dataclass
from typing import Any

import moto.dynamodb.models as moto_dynamodb
from moto.dynamodb.exceptions import ResourceNotFoundException
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import StreamShard, Table

_moto_transact_write_items = DynamoDBBackend.transact_write_items
_moto_copy = vars(moto_dynamodb)["copy"]  # the `copy` module, as moto.dynamodb.models imported it

# The tables (by id) whose whole copy moto need not make in the transaction running now.
_logged_tables: contextvars.ContextVar[frozenset[int]] = contextvars.ContextVar(
    "refdesk_logged_tables", default=frozenset()
)


class _CopyExceptLoggedTables:
    """Stands in for the `copy` module inside moto.dynamodb.models: the same, except that a
    table the running transaction's undo log covers is not copied."""

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)

    @staticmethod
    def deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
        if isinstance(value, Table) and id(value) in _logged_tables.get():
            return value
        return copy.deepcopy(value, memo)


@dataclass
class _Before:
    """One item as it stood before the transaction."""

    table: Table
    hash_key: DynamoType
    range_key: DynamoType | None
    item: Item | None  # a copy, or None: there was no such item
    had_partition: bool  # tables with a sort key: whether table.items held this hash key


class UndoLog:
    """The items a transaction names, as they were before it."""

    def __init__(self, backend: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
        self.before: dict[tuple[int, DynamoType, DynamoType | None], _Before] = {}
        self.streams: dict[int, tuple[Table, StreamShard, int]] = {}  # id -> (table, shard, records)
        unreadable: set[int] = set()
        tables: dict[int, Table] = {}
        for transact_item in transact_items:
            for op_type, op in transact_item.items():
                table = _table(backend, op)
                if table is None:  # moto cancels the transaction; there is nothing to keep
                    continue
                tables[id(table)] = table
                key = _key(table, op_type, op)
                if key is None:
                    unreadable.add(id(table))
                else:
                    self._remember(table, *key)
        self.covered = frozenset(tables.keys() - unreadable)
        for table_id, table in tables.items():
            shard = table.stream_shard
            if shard is not None:
                self.streams[table_id] = (table, shard, len(shard.items))

    def _remember(self, table: Table, hash_key: DynamoType, range_key: DynamoType | None) -> None:
        where = (id(table), hash_key, range_key)
        if where in self.before:  # moto refuses a second operation on one item
            return
        items: Any = table.items  # {hash: Item}, or {hash: {range: Item}} with a sort key
        if table.range_key_attr is None:
            item, had_partition = items.get(hash_key), True
        else:
            partition = items.get(hash_key)  # not table.get_item: it adds empty partitions
            item, had_partition = (partition or {}).get(range_key), partition is not None
        kept = copy.deepcopy(item) if item is not None else None  # moto updates an item in place
        self.before[where] = _Before(table, hash_key, range_key, kept, had_partition)

    def restore(self) -> None:
        """Put back every item the transaction named, and drop the stream records it added."""
        for before in self.before.values():
            items: Any = before.table.items
            if before.table.range_key_attr is None:
                if before.item is None:
                    items.pop(before.hash_key, None)
                else:
                    items[before.hash_key] = before.item
                continue
            partition = items.get(before.hash_key)
            if before.item is not None:
                items[before.hash_key][before.range_key] = before.item  # a defaultdict(dict)
            elif partition is not None:
                partition.pop(before.range_key, None)
                if not partition and not before.had_partition:
                    del items[before.hash_key]
        for table, shard, records in self.streams.values():
            if len(shard.items) >= records and table.stream_shard is shard:  # not sent and cleared
                del shard.items[records:]


def _table(backend: DynamoDBBackend, op: Any) -> Table | None:
    name = op.get("TableName") if isinstance(op, dict) else None
    if not isinstance(name, str):
        return None
    try:
        table: Table = backend.get_table(name)  # by name or ARN, as moto looks it up
    except ResourceNotFoundException:
        return None
    return table


def _key(table: Table, op_type: str, op: dict[str, Any]) -> tuple[DynamoType, DynamoType | None] | None:
    """The item's key, read as moto reads it (a Put's from its item, the others' from Key)."""
    attributes = op.get("Item") if op_type == "Put" else op.get("Key")
    if not isinstance(attributes, dict):
        return None
    try:
        hash_key = DynamoType(attributes[table.hash_key_attr])
        range_key = DynamoType(attributes[table.range_key_attr]) if table.range_key_attr else None
    except Exception:  # a malformed key: moto writes nothing for it
        return None
    return hash_key, range_key


def _transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    log = UndoLog(self, transact_items)
    covered = _logged_tables.set(log.covered)
    try:
        _moto_transact_write_items(self, transact_items)
    except BaseException:
        log.restore()
        raise
    finally:
        _logged_tables.reset(covered)


def install() -> bool:
    """Use the undo log from now on; False if it was in use already."""
    if installed():
        return False
    vars(moto_dynamodb)["copy"] = _CopyExceptLoggedTables()
    DynamoDBBackend.transact_write_items = _transact_write_items  # type: ignore[method-assign]
    return True


def uninstall() -> None:
    """Back to moto's own (tests compare the two)."""
    vars(moto_dynamodb)["copy"] = _moto_copy
    DynamoDBBackend.transact_write_items = _moto_transact_write_items  # type: ignore[method-assign]


def installed() -> bool:
    return DynamoDBBackend.transact_write_items is _transact_write_items
