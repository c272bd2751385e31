"""What the engines' shipped catalogues share (the screening indicators, the reintegration
survey): the header every catalogue file starts with, and reading a file shipped in a package."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

__all__ = ["CatalogueHeader", "shipped_text"]


@dataclass(frozen=True)
class CatalogueHeader:
    """A catalogue's id, version and title in both languages; an engine's ``Catalogue`` adds
    its own fields after these."""

    id: str
    version: str
    title_id: str
    title_en: str


def shipped_text(package: str, resource: str) -> str:
    """The UTF-8 text of the data file ``resource`` shipped inside ``package``."""
    return resources.files(package).joinpath(resource).read_text("utf-8")
