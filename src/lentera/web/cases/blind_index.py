"""Blind indexes of a survivor's NIK and names: keyed hashes the database can search.

The NIK and names are stored encrypted (ADR 0002); searching them goes through these keyed
hashes instead (``Person.nik_index`` and one ``PersonNameToken`` per name token). Selectors
hash a query with :func:`nik_hash` / :func:`name_token_hashes`; services call
:func:`write_person_indexes` after every save of a person's NIK or names.
"""

from __future__ import annotations

from lentera import linkage
from lentera.web.cases.models import Person, PersonNameToken
from lentera.web.core import crypto
from lentera.web.core.validators import normalise_nik

#: key-derivation purposes of the two indexes (a NIK hash never equals a name-token hash)
NIK_PURPOSE = "nik"
NAME_PURPOSE = "name"


def name_token_hashes(*names: str) -> set[str]:
    """The blind index of every search token of ``names``."""
    tokens: set[str] = set()
    for name in names:
        if name:
            tokens.update(linkage.search_tokens(name))
    return {crypto.blind_index(t, purpose=NAME_PURPOSE) for t in tokens}


def nik_hash(nik: str) -> str:
    """The blind index of a NIK (normalised first); ``""`` for no NIK."""
    nik = normalise_nik(nik)
    return crypto.blind_index(nik, purpose=NIK_PURPOSE) if nik else ""


def write_person_indexes(person: Person) -> None:
    """Rewrite the NIK index and the name tokens of a saved person."""
    person.nik_index = nik_hash(person.nik)
    Person.objects.filter(pk=person.pk).update(nik_index=person.nik_index)
    PersonNameToken.objects.filter(person=person).delete()
    PersonNameToken.objects.bulk_create(
        [
            PersonNameToken(person=person, organisation_id=person.organisation_id, token_hash=h)
            for h in sorted(name_token_hashes(person.full_name, person.other_names))
        ]
    )
