"""How every service wires its dependencies: one `Provider` per dependency.

A provider builds its value on first use (once per cold start: nothing at import time) and
hands the same value to every later call. Routes receive it through Powertools' `Depends`
(`Annotated[Store, Depends(store)]`), consumers call it (`store()`); tests replace it with
`store.override(fake)` (a context manager) without monkeypatching module globals, and the
override reaches routes and consumers alike because both go through the provider.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from threading import Lock
from typing import Generic, TypeVar

T = TypeVar("T")

_UNSET = object()


class Provider(Generic[T]):
    """A lazily built, overridable dependency."""

    def __init__(self, factory: Callable[[], T], name: str | None = None) -> None:
        self._factory = factory
        self._value: object = _UNSET
        self._overrides: list[T] = []
        self._lock = Lock()
        self.__name__ = name or getattr(factory, "__name__", "provider")
        self.__doc__ = factory.__doc__

    def __call__(self) -> T:
        if self._overrides:
            return self._overrides[-1]
        if self._value is _UNSET:
            with self._lock:
                if self._value is _UNSET:
                    self._value = self._factory()
        return self._value  # type: ignore[return-value]

    @contextmanager
    def override(self, value: T) -> Iterator[T]:
        """Use `value` instead of the built one until the block ends (tests)."""
        self._overrides.append(value)
        try:
            yield value
        finally:
            self._overrides.remove(value)

    def reset(self) -> None:
        """Forget the built value (tests that change the environment between cases)."""
        with self._lock:
            self._value = _UNSET


def provider(factory: Callable[[], T]) -> Provider[T]:
    """Decorator form: `@provider def store() -> Store: ...`."""
    return Provider(factory)
