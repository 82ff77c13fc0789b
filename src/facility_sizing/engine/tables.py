"""A batch's figures by group of rows, or by cell: where a row reads its figure from.

Rows that share a plan (a group) are evaluated together (:class:`GroupTable`). Where a row's
figures depend on nothing but its group and its households — population is households × one
figure per household for every row, every other basis input is given once, households are known
in every row — rows of one group and equal households have equal figures. Such a batch is evaluated
once per **cell**, a (group, households) pair, for every households count from 0 to the largest
(:class:`Cells`), with the same term functions (:func:`~facility_sizing.engine.core.evaluate`), and
each row reads its cell: a million rows of ten groups with households below 6,000 are 60,000 cells,
and no row is sorted into its group.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

import numpy as np

from ..model.quantities import QUANTITIES
from .core import MICRO, none_figure, vacate
from .masks import either, every, gather, given_once
from .plan import Plan
from .rows import Inputs, Product
from .threads import each

__all__ = [
    "CELL_SHARE",
    "CellFigures",
    "Cells",
    "GroupTable",
    "cell_inputs",
    "cell_width",
    "cells_fit",
    "first_appearance",
]

#: Cells are evaluated where they are at most this share of the rows (``rows // CELL_SHARE``): a batch
#: with fewer rows per cell is evaluated group by group.
CELL_SHARE = 4
#: Below this many rows a batch is evaluated group by group (the cells would not pay).
CELL_MIN_ROWS = 4096
#: At most this many cells, whatever the rows (``force``).
CELL_MOST = 1 << 20


@dataclass(frozen=True)
class Cells:
    """Where each row reads its figures: block ``k`` of ``width`` cells holds the figures of the rows
    of group ``k`` (of ``groups``), households ``0 … width - 1``; the last cell, alone, the bad rows' (no figure).

    ``cell`` is each row's cell (``group × width + households``), ``seen`` whether any row reads a cell.
    """

    width: int
    groups: int
    cell: np.ndarray  # intp per row
    seen: np.ndarray  # bool per cell

    @property
    def size(self) -> int:
        """The number of cells (the last one: the bad rows')."""
        return self.groups * self.width + 1

    def block(self, k: int) -> slice:
        """The cells of group ``k``."""
        return slice(k * self.width, (k + 1) * self.width)

    def present(self) -> np.ndarray:
        """The groups some row is in."""
        return np.flatnonzero(self.seen[:-1].reshape(self.groups, self.width).any(axis=1))

    def any_seen(self, where: np.ndarray) -> bool:
        """Whether some row reads a cell marked in ``where`` (one flag per cell)."""
        return bool((where & self.seen).any())

    @classmethod
    def build(cls, key: np.ndarray, groups: int, width: int, households: np.ndarray, bad: np.ndarray | None) -> Cells:
        """Each row's cell: its group's block, its households' place in it; a ``bad`` row's (its key ``groups``) the last cell."""
        cell = np.empty(len(key), dtype=np.intp)
        halves = np.linspace(0, len(key), 3).astype(int)  # two halves, made side by side for a large batch

        def part(i: int) -> np.ndarray:
            rows = slice(halves[i], halves[i + 1])
            np.multiply(key[rows], width, out=cell[rows], dtype=np.intp)
            cell[rows] += households[rows]  # a view of one value given for every row adds as one
            if bad is not None:
                cell[rows][bad[rows]] = groups * width
            seen = np.zeros(groups * width + 1, dtype=bool)
            seen[cell[rows]] = True
            return seen

        both = each({"first": partial(part, 0), "second": partial(part, 1)}, len(key))
        return cls(width, groups, cell, both["first"] | both["second"])


@dataclass(frozen=True)
class CellFigures:
    """One quantity by cell: each cell's figure (int64 in its internal unit, -1: none) and binding terms."""

    cells: Cells
    value: np.ndarray
    binding: np.ndarray
    #: the groups whose plan has terms for the quantity (a limit's cells may all be -1: no limit, no residents)
    groups: set[int] = field(default_factory=set)

    @classmethod
    def empty(cls, cells: Cells) -> CellFigures:
        """No figure in any cell yet (the bad rows' cell keeps none)."""
        return cls(cells, np.full(cells.size, -1, dtype=np.int64), np.zeros(cells.size, dtype=np.uint8))

    def set_block(self, k: int, value: np.ndarray, binding: np.ndarray) -> None:
        """The figures of group ``k`` (households 0 … width - 1)."""
        where = self.cells.block(k)
        self.value[where] = value
        self.binding[where] = binding
        self.groups.add(k)


def first_appearance(codes_of: Callable[[int, int], np.ndarray], n: int, wanted: set[int]) -> dict[int, int]:
    """The first row of each code of ``wanted`` among ``n`` rows, in that order (``codes_of(lo, hi)``: rows ``lo:hi``).

    The codes are small integers (-1: none, never wanted). Read in chunks that grow fourfold,
    stopping once every wanted code is found: the first few thousand rows of a large batch usually
    hold them all. A code that never appears is left out.

    Examples
    --------
    >>> codes = np.array([3, 3, 1, 3, -1, 0, 1])
    >>> first_appearance(lambda lo, hi: codes[lo:hi], len(codes), {0, 1, 3})
    {3: 0, 1: 2, 0: 5}
    """
    first: dict[int, int] = {}
    wanting = np.zeros(max(wanted, default=0) + 2, dtype=bool)  # the last entry: code -1, never wanted
    wanting[list(wanted)] = True
    lo, step = 0, 1024
    while len(first) < len(wanted) and lo < n:
        hi = min(n, lo + step)
        chunk = np.asarray(codes_of(lo, hi))
        inside = (chunk >= -1) & (chunk < len(wanting) - 1)  # a code beyond the wanted ones is not wanted
        hits = wanting[np.where(inside, chunk, -1)]
        while hits.any():  # the next wanted code's first row in the chunk, one code at a time
            at = int(np.argmax(hits))
            code = int(chunk[at])
            first[code] = lo + at
            wanting[code] = False
            hits &= chunk != code
        lo, step = hi, step * 4
    return first


def _population_by_households(x: Inputs) -> bool:
    """Whether every row's population is its households × one figure per household given once."""
    pop = x.pop_num
    return isinstance(pop, Product) and pop.h is x.hh_num and given_once(pop.k)


def cell_width(x: Inputs, bad: np.ndarray | None, groups: int, force: bool = False) -> int | None:
    """The cells per group (households 0 to the largest) where cells pay, or None (evaluate by group).

    Cells pay where households are known in every row and the cells of every group a key can name
    are at most a :data:`CELL_SHARE`-th of the rows; :func:`cells_fit` then asks the plans what else they read.
    ``force``: wherever households allow, up to :data:`CELL_MOST` cells (a test's way to compare).
    """
    n = len(x.hh_num)
    if n < CELL_MIN_ROWS and not force:
        return None
    if not _known_where_good(x.known["households"], bad):
        return None
    hh = x.hh_num
    top = int(hh[0]) if given_once(hh) else int(np.max(hh, initial=0, where=True if bad is None else ~bad))
    width = top + 1
    return width if groups * width + 1 <= (CELL_MOST if force else n // CELL_SHARE) else None


def cells_fit(x: Inputs, plans: Sequence[Plan], bad: np.ndarray | None) -> bool:
    """Whether the plans read nothing that varies by row but households (see the module's docstring)."""
    for name, values in x.given.items():
        needed = any(p.term_needing(name) is not None for p in plans)
        if needed and not (given_once(values) and _known_where_good(x.known[name], bad)):
            return False
    if any(p.term_needing("population") is not None for p in plans):
        return _population_by_households(x) and _known_where_good(x.known["population"], bad)
    return True


def _known_where_good(known: np.ndarray, bad: np.ndarray | None) -> bool:
    """Whether ``known`` marks every row but the ``bad`` ones (which are told apart by their error)."""
    return every(known if bad is None else either(known, bad))


def cell_inputs(x: Inputs, plan: Plan, width: int) -> tuple[np.ndarray, np.ndarray | int, dict[str, tuple[int, int]]]:
    """Households ``0 … width - 1``, their population and every other input, as the plan's term functions read them."""
    hh = np.arange(width, dtype=np.int64)
    pop: np.ndarray | int = 0
    if plan.term_needing("population") is not None and isinstance(x.pop_num, Product):
        pop = x.pop_num.of(hh, 0)  # households × the one figure per household (cells_fit: given once)
    given = {
        name: (int(values[0]) if plan.term_needing(name) is not None else 0, MICRO) for name, values in x.given.items()
    }
    return hh, pop, given


@dataclass
class GroupTable:
    """One quantity over a batch, by group of rows that share a plan (see :class:`~facility_sizing.engine.batch.Batch`).

    A group whose figure is the same in every row (a floor limit, a minimum area) is one entry of
    ``value`` and ``binding``; the rows of a group whose figure varies are kept with their own
    figures in ``varying``; ``withdrawn`` rows lack an input the quantity needs (no figure). A batch
    evaluated by cell (:class:`Cells`) holds its figures in ``by_cell`` instead.
    """

    value: np.ndarray  # per group: int64 in the quantity's internal unit, -1 where no figure
    binding: np.ndarray  # per group: uint8 bitmask of the binding terms
    varying: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)  # rows, figures, bits
    withdrawn: list[np.ndarray] = field(default_factory=list)  # rows of one group each
    none: int = 0  # the figure of a row of no residents: no requirement (0), or no limit (-1)
    #: groups of one figure whose entry in ``varying`` holds only their rows of no residents (``none``, no bits)
    vacated: set[int] = field(default_factory=set)
    #: a batch evaluated by cell: each cell's figure and binding terms (``value`` and the rest unused)
    by_cell: CellFigures | None = None

    @classmethod
    def empty(cls, groups: int, quantity: str) -> GroupTable:
        """A quantity with no figure yet in any of ``groups`` groups."""
        none = none_figure(QUANTITIES[quantity].direction)
        return cls(np.full(groups, -1, dtype=np.int64), np.zeros(groups, dtype=np.uint8), none=none)

    @property
    def any(self) -> bool:
        """Whether some row may have a figure."""
        if self.by_cell is not None:  # as by group: a plan with terms for it, even where every row is of no residents
            return bool(self.by_cell.groups)
        return bool(self.varying) or bool((self.value >= 0).any())

    def add(
        self, k: int, idx: np.ndarray, value: np.ndarray, binding: np.ndarray, vacant: np.ndarray | None = None
    ) -> None:
        """The figures of group ``k`` (rows ``idx``): one entry when the same in every row.

        ``vacant`` marks the group's rows of no residents (:func:`~facility_sizing.engine.core.vacate`):
        a group of one figure keeps it, and only those rows are kept apart, so that a few empty
        projects do not make every row of their group carry its own figure.
        """
        same = (given_once(value) and given_once(binding)) or (len(idx) == 1 and value.shape == (1,))
        if vacant is not None and same and not every(vacant):
            self.value[k], self.binding[k] = value[0], binding[0]
            rows = idx[vacant]
            self.varying.append((rows, np.full(len(rows), self.none, dtype=np.int64), np.zeros(len(rows), np.uint8)))
            self.vacated.add(k)
            return
        if vacant is not None:
            value, binding = vacate(self.none, value, binding, vacant)
            same = len(idx) == 1 and value.shape == (1,)
        if same:
            self.value[k], self.binding[k] = value[0], binding[0]
        else:
            self.varying.append((idx, value, binding))

    def values(
        self,
        group: np.ndarray,
        fill: float = -1,
        convert: Callable[[np.ndarray], np.ndarray] | None = None,
        out: np.ndarray | None = None,
    ) -> np.ndarray:
        """Each row's figure, ``convert``-ed (to an output unit, say), ``fill`` where it has none
        (written into ``out`` where given: of the converted figures' type)."""
        conv = convert or (lambda v: v)
        if self.by_cell is not None:  # converted once per cell, then read by each row
            table = self.by_cell.value
            return gather(np.where(table >= 0, conv(table), fill), self.by_cell.cells.cell, out)
        table = np.where(self.value >= 0, conv(self.value), fill)
        out = gather(table, group, out)
        for idx, v, _ in self.varying:
            out[idx] = conv(v)
        for idx in self.withdrawn:
            out[idx] = fill
        return out

    def bindings(self, group: np.ndarray) -> np.ndarray:
        """Each row's bitmask of binding terms (0 where no figure)."""
        if self.by_cell is not None:
            return np.take(self.by_cell.binding, self.by_cell.cells.cell)
        out = np.take(self.binding, group)
        for idx, _, b in self.varying:
            out[idx] = b
        for idx in self.withdrawn:
            out[idx] = 0
        return out
