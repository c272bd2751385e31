"""Model fields whose values are encrypted at rest (see :mod:`lentera.web.core.crypto`).

Encrypted columns cannot be filtered or sorted in SQL; look-ups go through
blind-index columns instead.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.validators import MaxLengthValidator
from django.db import models

from lentera.web.core import crypto
from lentera.web.core.validators import validate_storable_text

#: The most characters any free-text field holds (a long narrative is about 6,000). The same
#: limit on every path (pages, API, imports: all go through ``full_clean``), shown on the forms;
#: it also bounds the time of every PDF and export of a record.
TEXT_LIMIT = 20_000


class _TextLimit(MaxLengthValidator):
    def __call__(self, value: Any) -> None:
        if isinstance(value, str):
            super().__call__(value)


class EncryptedTextField(models.TextField):
    """Text encrypted with AES-GCM; the column holds ``v1:<key>:<base64>``.

    At most :data:`TEXT_LIMIT` characters (a class default: not part of the migrations).
    """

    #: the length limit, and control characters and lone surrogates refused by ``full_clean``
    default_validators = [_TextLimit(TEXT_LIMIT), validate_storable_text]

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"max_length": TEXT_LIMIT, **kwargs})

    def contribute_to_class(
        self, cls: type[models.Model], name: str, *args: Any, **kwargs: Any
    ) -> None:
        super().contribute_to_class(cls, name, *args, **kwargs)
        self._context = f"{cls._meta.app_label}.{cls.__name__}.{name}".lower()

    @property
    def context(self) -> str:
        return self._context

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in {"isnull"}:
            raise TypeError(f"encrypted field {self.name!r} supports no SQL lookup but isnull")
        return super().get_lookup(lookup_name)

    def to_python_value(self, text: str) -> Any:
        return text

    def from_python_value(self, value: Any) -> str:
        return str(value)

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return None if value is None else ""
        return self.to_python_value(crypto.decrypt(value, context=self.context))

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        text = self.from_python_value(value)
        if text == "":
            return ""
        return crypto.encrypt(text, context=self.context)

    def to_python(self, value: Any) -> Any:
        return value


class EncryptedDateField(EncryptedTextField):
    """A date stored encrypted as ISO text."""

    def to_python_value(self, text: str) -> dt.date:
        return dt.date.fromisoformat(text)

    def from_python_value(self, value: Any) -> str:
        if isinstance(value, str):
            value = dt.date.fromisoformat(value)
        return value.isoformat()

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value:
            return dt.date.fromisoformat(value)
        return value

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms
        from django.utils.text import capfirst

        defaults = {
            "required": not self.blank,
            "label": capfirst(self.verbose_name),
            "help_text": self.help_text,
        }
        return forms.DateField(**{**defaults, **kwargs})
