"""moto's model objects freed when moto is done with them, so the local stack's memory follows its data.

Every moto model (`moto.core.common_models.BaseModel`: a DynamoDB item, a table, a stream
record, an SES message...) is appended, as it is made, to a list on its class
(`instances_tracked`), for the moto server's dashboard (`/moto-api/data.json`) and nothing
else: no object moto makes is ever freed. In-process, that list holds not only the items in
the tables but every copy moto makes on the way: each UpdateItem copies the item it updates,
each Query and Scan copies the items it returns, and each TransactWriteItems used to copy
every table it touched (`moto_transactions.py`). The local stack's memory then grew with
every request, whatever the tables held: a long probe took it to 13 GB.

`install()` makes new model objects without tracking them and forgets those tracked so far.
The local stack has no dashboard to show them; S3's reset, the one other reader, is not
used here. Only for the local stack (`devstack/aws.py` installs it).
"""

from __future__ import annotations

from typing import Any

from moto.core.common_models import BaseModel
from moto.core.model_instances import reset_model_data

_moto_new = BaseModel.__dict__["__new__"]  # the staticmethod, as the class holds it


def _untracked(cls: type[BaseModel], *args: Any, **kwargs: Any) -> BaseModel:
    """BaseModel.__new__ without `cls.instances_tracked.append(instance)`."""
    instance: BaseModel = super(BaseModel, cls).__new__(cls)
    return instance


def install() -> bool:
    """Stop tracking from now on, and forget what was tracked; False if already so."""
    if installed():
        return False
    BaseModel.__new__ = staticmethod(_untracked)  # type: ignore[method-assign]
    reset_model_data()
    return True


def uninstall() -> None:
    """moto's own tracking again (tests compare the two)."""
    BaseModel.__new__ = _moto_new  # type: ignore[method-assign]


def installed() -> bool:
    return getattr(BaseModel.__dict__["__new__"], "__func__", None) is _untracked
