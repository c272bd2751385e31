"""URL patterns built from the naming convention the apps share, so an app's ``urls.py`` lists
the actions of each kind of record once instead of spelling out path, view and name for each.

For a kind of record ``thing`` whose views are the functions ``thing_<action>`` of ``views``:

- :func:`main_routes` — the records an app is about (a case in ``cases``): ``list`` at ``""``,
  ``new`` at ``new/``, ``detail`` at ``<int:thing_id>/``, any other action at
  ``<int:thing_id>/<action>/``; each route named after its action (``cases:edit``).
- :func:`page_routes` — pages named by one word: the path ``word/``, the route name ``word``,
  the view ``word`` (or ``view`` with ``{}`` standing for the word: ``"{}_page"``).
- :func:`record_routes` — another kind of record of the app (a case's events): ``add`` at
  ``<int:parent_id>/things/new/``, ``detail`` at ``things/<int:thing_id>/`` (named ``thing``),
  any other action at ``things/<int:thing_id>/<action>/``; each named ``thing_<action>``.

An action's path segment is its name with hyphens for underscores (``follow_up`` →
``follow-up/``).

- :func:`table_routes` — the routes that follow no convention, written as a table under one
  path prefix: one line per route, ``segment view [name]`` (the name defaults to the view's).
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from django.urls import URLPattern, path

__all__ = ["main_routes", "page_routes", "record_routes", "table_routes"]


def _segment(action: str) -> str:
    return action.replace("_", "-") + "/"


def main_routes(views: ModuleType, thing: str, *actions: str) -> list[URLPattern]:
    """The routes of the app's own records, each named after its action."""
    member = f"<int:{thing}_id>/"
    where = {"list": "", "new": "new/", "detail": member}
    return [
        path(
            where.get(action, member + _segment(action)),
            getattr(views, f"{thing}_{action}"),
            name=action,
        )
        for action in actions
    ]


def page_routes(
    views: ModuleType, *words: str, view: str = "{}", slash: str = "/"
) -> list[URLPattern]:
    """One route per word: its path segment (``slash`` after it), its name and its view."""
    return [
        path(word.replace("_", "-") + slash, getattr(views, view.format(word)), name=word)
        for word in words
    ]


def record_routes(
    views: ModuleType,
    thing: str,
    *actions: str,
    parent: str = "",
    key: str = "",
    plural: str = "",
) -> list[URLPattern]:
    """The routes of one more kind of record, named ``thing_<action>`` (``thing`` for its page).

    ``parent`` is the record ``add`` creates it under, ``key`` the id argument when it is not
    ``thing_id``, ``plural`` the path prefix when it is not ``things``."""
    things = plural or f"{thing}s"
    member = f"{things}/<int:{key or thing + '_id'}>/"
    routes = []
    for action in actions:
        if action == "add":
            route, name = f"<int:{parent}_id>/{things}/new/", f"{thing}_add"
        elif action == "detail":
            route, name = member, thing
        else:
            route, name = member + _segment(action), f"{thing}_{action}"
        routes.append(path(route, getattr(views, f"{thing}_{action}"), name=name))
    return routes


def table_routes(views: ModuleType, table: str, prefix: str = "") -> list[URLPattern]:
    """One route per line of ``table``: the path segment after ``prefix`` (``.`` for none), the
    view (a function of ``views``, or ``module.function`` of a views package) and the route name
    (the function's name when the line gives none)."""
    routes = []
    for line in table.strip().splitlines():
        segment, view, *name = line.split()
        module, _, function_name = view.rpartition(".")
        owner = import_module(f"{views.__name__}.{module}") if module else views
        function = getattr(owner, function_name)
        route = prefix + ("" if segment == "." else segment)
        routes.append(path(route, function, name=name[0] if name else function.__name__))
    return routes
