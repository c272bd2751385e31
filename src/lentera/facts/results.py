"""The base of the engines' output documents: frozen pydantic models, built fast.

``screen()`` and ``qualify()`` return instances of these models (RapidPro's engine
client returns frozen types the same way), so a caller reads ``result.palermo.trafficking``
and mypy checks it; the same classes generate the JSON Schema of the contract
(``lentera schema``). ``to_dict()`` gives the JSON document, key for key what is written
to the CLI, the API and the database.

Validation is for documents that come from outside (a stored result read back:
``Model.model_validate(data)``). The engines build their results with :meth:`build`,
which skips validation and default-filling: pydantic's ``model_construct`` costs about
4 µs per object, and a qualification is built from several objects per document at
20k documents/s; ``build`` does what ``model_construct`` does for a complete set of
values, in about a fifth of the time.

Frozen means no attribute can be reassigned; the lists and dicts inside are shared
between results (the engines memoise them), so treat them as read-only too.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict

__all__ = ["FrozenResult"]

_new = object.__new__
_set = object.__setattr__
# BaseModel's slots, set through their descriptors (a third faster than object.__setattr__)
_set_fields = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__
#: class -> the set of all its field names (its "fields set" when every field is given)
_ALL_FIELDS: dict[type[BaseModel], set[str]] = {}


class FrozenResult(BaseModel):
    """A frozen, strict (no extra keys) part of an engine's output document."""

    model_config: ClassVar[ConfigDict] = ConfigDict(extra="forbid", frozen=True)

    @classmethod
    def build(cls, values: dict[str, Any]) -> Self:
        """An instance from ``values`` naming every field by its Python name, unvalidated.

        The engine is responsible for the values being of the declared types (the tests
        validate every engine result against the model). Use ``model_construct`` when
        some fields are left to their defaults.
        """
        fields = _ALL_FIELDS.get(cls)
        if fields is None:
            fields = _ALL_FIELDS[cls] = set(cls.model_fields)
        obj = _new(cls)
        _set(obj, "__dict__", values)
        _set_fields(obj, fields)
        _set_extra(obj, None)
        _set_private(obj, None)
        return obj

    def to_dict(self) -> dict[str, Any]:
        """The JSON document (alias names such as ``schema``; fields never set left out)."""
        return self.model_dump(by_alias=True, exclude_unset=True)
