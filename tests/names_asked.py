"""Which query and form names a route asks for, so a sweep of bad values tries those names only.

A request that sets one name runs exactly as a request that sets none until the route first asks
for that name; a name the route never asks for cannot change what it does. So the names asked for
while the sweep runs, gathered by a request class whose query string and form note each look-up,
are the names worth sending. A route that walks every name of the query string or of the form (a
FieldList, `to_dict()`, a guard that reads every query parameter) is noted as asking for all the
names that part of the request could carry."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from flask import Flask, Request, has_request_context, request
from werkzeug.datastructures import ImmutableMultiDict

WALKED = "\x00walked the {}"  # noted when a route walks every name of the "args" or the "form"
WALKS = ("__iter__", "keys", "values", "items", "lists", "listvalues", "to_dict", "copy", "__copy__",
         "__deepcopy__", "__reduce_ex__")  # fmt: skip


class NamesAsked(ImmutableMultiDict):
    """A query string or form that notes every name looked up in it."""

    asked: ClassVar[set[str]] = set()

    def __contains__(self, key: object) -> bool:
        NamesAsked.asked.add(str(key))
        return super().__contains__(key)

    def __getitem__(self, key: Any) -> Any:
        NamesAsked.asked.add(str(key))
        return super().__getitem__(key)

    def get(self, key: Any, default: Any = None, type: Any = None) -> Any:  # type: ignore[override]
        NamesAsked.asked.add(str(key))
        return super().get(key, default, type)

    def getlist(self, key: Any, type: Any = None) -> Any:
        NamesAsked.asked.add(str(key))
        return super().getlist(key, type)


def _walking(name: str):
    walk = getattr(ImmutableMultiDict, name)

    def noted(self, *args, **kwargs):
        part = "args" if has_request_context() and self is request.args else "form"
        NamesAsked.asked.add(WALKED.format(part))
        return walk(self, *args, **kwargs)

    return noted


for _name in WALKS:
    setattr(NamesAsked, _name, _walking(_name))


class AskingRequest(Request):
    parameter_storage_class = NamesAsked


@contextmanager
def noting_names(app: Flask) -> Iterator[None]:
    """While active, the app's requests note the names they ask for in `NamesAsked.asked`."""
    original = app.request_class
    app.request_class = AskingRequest
    NamesAsked.asked.clear()
    try:
        yield
    finally:
        app.request_class = original
        NamesAsked.asked.clear()


def asked_since(known: list[str], sent_in: str) -> list[str]:
    """The names asked for since the last call (every one of `known` if the route walked the part
    of the request the names are sent in, "args" or "form"), and forget them."""
    walked = {WALKED.format(part) for part in ("args", "form")}
    found = set(known) if WALKED.format(sent_in) in NamesAsked.asked else set()
    found |= NamesAsked.asked - walked
    NamesAsked.asked.clear()
    return sorted(found)
