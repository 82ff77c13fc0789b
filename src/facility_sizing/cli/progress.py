"""Progress of a long job on a terminal — reading, sizing, writing — and nothing when piped or ``--quiet``.

A bar goes to stderr only where stderr is a terminal: a pipe, a file or CI sees no progress
lines, so what a program reads stays the table (or JSON) alone. tqdm draws the bars and is
imported only when one is shown.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["Progress"]


class Progress:
    """The bars of one job.

    Parameters
    ----------
    quiet : bool
        ``--quiet``: no bars at all.
    stream : file, optional
        Where bars go (default stderr); bars are shown only if it is a terminal.

    Examples
    --------
    >>> import io
    >>> bars = Progress(quiet=False, stream=io.StringIO())  # not a terminal: silent
    >>> with bars.step("读取 reading"):
    ...     pass
    >>> bars.counter("计算 sizing")(50, 100); bars.close()
    """

    def __init__(self, quiet: bool, stream: Any = None) -> None:
        self.stream = sys.stderr if stream is None else stream
        isatty = getattr(self.stream, "isatty", None)
        self.shown = not quiet and bool(isatty and isatty())
        self._bars: dict[str, Any] = {}

    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        """A step with no count (reading a file): its name while it runs, its time when done."""
        if not self.shown:
            yield
            return
        from tqdm import tqdm

        with tqdm(total=1, desc=label, file=self.stream, bar_format="{desc}: {elapsed}", leave=True) as bar:
            yield
            bar.update(1)

    def counter(self, label: str) -> Callable[[int, int], None]:
        """A callback ``(done, total)`` that moves a bar of rows labelled ``label``."""

        def moved(done: int, total: int) -> None:
            if not self.shown:
                return
            bar = self._bars.get(label)
            if bar is None:
                from tqdm import tqdm

                bar = self._bars[label] = tqdm(total=total, desc=label, unit="行 rows", file=self.stream, leave=True)
            bar.update(done - bar.n)
            if done >= total:  # drawn complete now, not at the next redraw (a fast step would stay at 0%)
                bar.close()

        return moved

    def close(self) -> None:
        """Finish every bar (each stays on the screen with its count and time)."""
        for bar in self._bars.values():
            bar.close()
        self._bars.clear()
