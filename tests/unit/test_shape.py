"""Wire shapes: plain classes until first use, then exactly the pydantic models they declare."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Literal, get_args

import pytest
from pydantic import BaseModel, Field, ValidationError, field_validator

from chalicelib.wire.actions import INBOUND, Action
from chalicelib.wire.base import Inbound, Outbound
from chalicelib.wire.shape import RootShape, Shape

ROOT = Path(__file__).resolve().parents[2]


class Point(Outbound):
    x: int
    label: str | None = None

    def doubled(self) -> int:
        return 2 * self.x


class Tagged(Point):
    sender: str = Field(alias="from")
    tags: list[Point] = Field(default_factory=list)


class Points(RootShape[list[Point]]):
    pass


class Ask(Inbound):
    action: Literal["ask"]
    text: str

    @field_validator("text")
    @classmethod
    def _shout(cls, text: str) -> str:
        return text.upper()


def _every_shape(root: type = Shape) -> list[type]:
    below = root.__subclasses__()
    return [shape for child in below for shape in (child, *_every_shape(child))]


def test_importing_the_app_builds_no_model():
    """What a cold start pays for: the shapes' classes, none of their pydantic models."""
    probe = (
        "import app\n"
        "from chalicelib.wire.shape import Shape\n"
        "def every(root):\n"
        "    return [s for c in root.__subclasses__() for s in (c, *every(c))]\n"
        "shapes = [s for s in every(Shape) if s.__module__.startswith('chalicelib')]\n"
        "built = [s.__name__ for s in shapes if '__built__' in s.__dict__]\n"
        "print(len(shapes), built)\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    count, built = run.stdout.split(" ", 1)
    assert int(count) > 90
    assert built.strip() == "[]"


def test_a_shape_is_called_validated_and_serialised_as_its_model():
    tagged = Tagged(x=2, sender="ann", tags=[Point(x=1)])
    assert isinstance(tagged, Tagged) and isinstance(tagged, Point) and isinstance(tagged, BaseModel)
    assert isinstance(tagged.tags[0], Point) and not isinstance(tagged.tags[0], Tagged)
    assert tagged.doubled() == 4  # methods come with the body
    assert tagged.model_dump_json(by_alias=True, exclude_none=True) == (
        '{"x":2,"from":"ann","tags":[{"x":1}]}'
    )
    assert list(Tagged.model_fields) == ["x", "label", "sender", "tags"]  # inherited first
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Point(x=1, y=2)  # Outbound's config came with the base
    with pytest.raises(ValidationError, match="valid integer"):
        Tagged.model_validate({"x": "two", "from": "ann"})


def test_validators_in_the_body_run_and_unknown_inbound_fields_are_ignored():
    ask = Ask.model_validate({"action": "ask", "text": "where?", "unknown": 1})
    assert ask.text == "WHERE?"
    assert not hasattr(ask, "unknown")


def test_a_root_shape_is_a_bare_list_on_the_wire():
    points = Points([Point(x=1), Point(x=2, label="b")])
    assert points.model_dump_json(exclude_none=True) == '[{"x":1},{"x":2,"label":"b"}]'
    assert Points.model_validate([{"x": 3}]).root[0].x == 3


def test_asking_whether_something_is_a_shape_builds_nothing():
    class Unused(Outbound):
        x: int

    assert not isinstance(object(), Unused)
    assert not issubclass(int, Unused)
    assert "__built__" not in Unused.__dict__


def test_threads_that_meet_at_a_first_use_share_one_model():
    class Raced(Outbound):
        x: int

    barrier = threading.Barrier(8)
    models: list[type] = []

    def first_use() -> None:
        barrier.wait()
        models.append(type(Raced(x=1)))

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(models) == 8 and len(set(models)) == 1


def test_every_inbound_name_is_its_models_action():
    """INBOUND is written out by hand (reading the names from the models would build them all)."""
    for name, model in INBOUND.items():
        assert get_args(model.model_fields["action"].annotation) == (name,)
    assert len(set(INBOUND.values())) == len(INBOUND)
    declared = {shape for shape in _every_shape() if shape.__module__ == "chalicelib.wire.actions"}
    assert declared - set(INBOUND.values()) == {Action}  # the base every action shares
