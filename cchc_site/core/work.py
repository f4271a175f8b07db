"""How a stage asks for work to be spread over processes, without knowing how.

A stage that has many independent items (bodies to render, pages to write)
takes a `FanOut` and calls it as `fan_out(fn, context, items, meanwhile)`:
the result is `[fn(context, x) for x in items]`, order kept. The edges
supply one (`edges.parallel.Workers` forks processes that inherit `context`);
`serial` is the default. `fn` must be a module-level function, so that a
worker process can run it.
"""

from __future__ import annotations

from typing import Any, Callable, Protocol, Sequence


class FanOut(Protocol):
    def __call__(
        self,
        fn: Callable[[Any, Any], Any],
        context: Any,
        items: Sequence[Any],
        meanwhile: Callable[[], None] | None = None,
    ) -> list[Any]: ...


def serial(
    fn: Callable[[Any, Any], Any], context: Any, items: Sequence[Any], meanwhile: Callable[[], None] | None = None
) -> list[Any]:
    """Everything in this process: `meanwhile()` first, then each item in turn."""
    if meanwhile is not None:
        meanwhile()
    return [fn(context, x) for x in items]
