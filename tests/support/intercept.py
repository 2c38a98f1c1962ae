"""Injecting a failure into a real adapter, through its provider (`common.wiring`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

T = TypeVar("T")


class Intercepted:
    """A real adapter with some of its methods replaced: a test's injected failure."""

    def __init__(self, real: Any, **replaced: Callable[..., Any]) -> None:
        self.real = real
        self._replaced = replaced

    def __getattr__(self, name: str) -> Any:
        if name in self._replaced:
            return self._replaced[name]
        return getattr(self.real, name)


def intercepted(real: T, **replaced: Callable[..., Any]) -> T:
    """`real` with the named methods replaced, typed as `real` for `provider.override`:
    `with store.override(intercepted(store(), apply=crash)): ...`."""
    return cast(T, Intercepted(real, **replaced))
