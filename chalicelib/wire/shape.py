"""Wire models that become pydantic models the first time they are used.

Defining a pydantic model costs about 0.3 ms even with `defer_build` (pydantic collects its
fields and evaluates their annotations where the class statement runs), and the wire has about
a hundred: 60% of what Refdesk's own modules cost a Lambda cold start, though one invocation
uses a handful. A `Shape` subclass is a plain class, its body kept as written; the first time
it is called, validated against, serialised or named in another model's field, its pydantic
model is built from that same body (annotations, defaults, `Field`s, validators, methods,
`model_config`) on the models of its own bases, and everything else is the model's:
`Shape(...)` returns an instance of it, `isinstance` and class attributes (`model_validate`,
`model_fields`, ...) answer for it. To the type checker a shape simply is that pydantic model.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, GetCoreSchemaHandler, RootModel
from pydantic_core import CoreSchema

# What a class statement leaves in a namespace that is not the model's to take.
_NOT_COPIED = frozenset({"__dict__", "__weakref__"})
_building = threading.RLock()  # the local gateway runs invocations on threads of one process


class _Declared(type):
    """The metaclass of shapes: it hands everything a shape is asked to its model."""

    def pydantic_model(cls) -> type[BaseModel]:
        """The pydantic model this shape declares, built on first use."""
        built: type[BaseModel] | None = cls.__dict__.get("__built__")
        if built is None:
            with _building:
                built = cls.__dict__.get("__built__")
                if built is None:
                    built = _build(cls)
                    type.__setattr__(cls, "__built__", built)
        return built

    def __call__(cls, *args: Any, **fields: Any) -> Any:
        return cls.pydantic_model()(*args, **fields)

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("__"):  # protocol probes (copying, typing) are not the model's
            raise AttributeError(name)
        return getattr(cls.pydantic_model(), name)

    # No instance of a model exists before it is built, so asking does not build it.
    def __instancecheck__(cls, instance: Any) -> bool:
        built = cls.__dict__.get("__built__")
        return built is not None and isinstance(instance, built)

    def __subclasscheck__(cls, subclass: type) -> bool:
        built = cls.__dict__.get("__built__")
        return type.__subclasscheck__(cls, subclass) or (built is not None and issubclass(subclass, built))


def _build(shape: _Declared) -> type[BaseModel]:
    bases = tuple(
        (_ROOTS.get(base) or base.pydantic_model()) if isinstance(base, _Declared) else base
        for base in shape.__bases__
    )
    namespace = {name: value for name, value in shape.__dict__.items() if name not in _NOT_COPIED}
    # Annotations are evaluated in the shape's module, where another shape's name stands for
    # that shape: pydantic asks it for its schema (below), which builds its model in turn. Shapes
    # are declared at module level, so there is no enclosing function's namespace to look in.
    metaclass: Any = type(BaseModel)
    model: type[BaseModel] = metaclass(
        shape.__name__, bases, namespace, __pydantic_reset_parent_namespace__=False
    )
    return model


class _Shape(metaclass=_Declared):
    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        """A shape named in a field (`patron: Person`) validates and serialises as its model."""
        return handler(cls.pydantic_model())


class _RootShape(_Shape):
    """A shape whose model is a `RootModel[T]`: on the wire a bare list or value, its `root`."""

    def __class_getitem__(cls, root: Any) -> type:
        return _Declared(
            f"RootShape[{root}]", (cls,), {"__annotations__": {"root": root}, "__module__": __name__}
        )


_ROOTS: dict[type, type[BaseModel]] = {_Shape: BaseModel, _RootShape: RootModel}

if TYPE_CHECKING:  # to the type checker, and pydantic's mypy plugin, a shape is its model

    class Shape(BaseModel):
        pass

    RootShape = RootModel
else:
    Shape, RootShape = _Shape, _RootShape
