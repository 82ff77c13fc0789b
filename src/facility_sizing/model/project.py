"""A project: the inputs a sizing needs, declared once.

:class:`ProjectInputs` is the one declaration. Each input is a typed key with its metadata
(:class:`ProjectInput`: what it is, whether it is required, its kind and default); the command
line's flag, the web page's label and the example an error suggests are the catalogue's
(``data/names.toml``). Every door builds a project from it: :func:`~facility_sizing.size` and
:func:`~facility_sizing.review` take its keys as keyword arguments,
:func:`~facility_sizing.size_frame` and :func:`~facility_sizing.size_parcels` a column (or one
value) per key, the command line a flag per key and the service a field per key. A new input a
basis needs is one line here.

:class:`Projects` is its batch form: one column per input (or one cell standing for every row),
the engine's one argument.

Examples
--------
>>> list(PROJECT_INPUTS)[:4]
['jurisdiction', 'area_type', 'households', 'population']
>>> PROJECT_INPUTS["include_drafts"].kind, PROJECT_INPUTS["include_drafts"].default
('switch', False)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, TypeAlias, TypedDict, TypeVar, get_type_hints

import numpy as np
import pandas as pd

from .vocabulary import Label

__all__ = [
    "PROJECT_INPUTS",
    "TODAY",
    "BasisInput",
    "ProjectInput",
    "ProjectInputs",
    "Projects",
    "project_signature",
]

#: The default of ``on``: the day of the call.
TODAY = "today"


@dataclass(frozen=True)
class BasisInput:
    """What makes a project input one a basis can need (``needs=`` of a :class:`~facility_sizing.model.bases.BasisSpec`).

    Attributes
    ----------
    label : Label
        Its name in results and messages (户数 households).
    hint : str
        The catalogue key of the advice when a rule needs it and the project lacks it
        (``data/messages/inputs.toml``).
    maximum : float, optional
        The largest value accepted. Every input but households and population (which have their
        own checks, and derive one another) is read as a non-negative number to six decimals, and
        its bound keeps a term's int64 arithmetic exact (``engine/core.py``): value × 10⁶ × a
        figure's numerator must stay below 9.2 × 10¹⁸.
    aliases : tuple of str
        Column headers a planner's file may give it under (住宅建筑面积), besides its own name.
    """

    label: Label
    hint: str
    maximum: float | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProjectInput:
    """One input of a project.

    Attributes
    ----------
    help : Label
        What it is, for the command line's help and the service's specification.
    required : bool
        Whether a project must give it (no default: the rules differ by it).
    kind : {"text", "number", "date", "switch", "choice"}
        How it is read: a number as people type it, a date, True/False, one of ``choices``.
    choices : tuple of str
        The values of a ``choice``.
    default : object
        The value when not given (``TODAY`` for the date).
    basis : BasisInput, optional
        Set for an input a basis can need (households, population): then rules can be written per
        unit of it, and a project lacking it gets an error that says what to pass.
    name : str
        Its name: the Python keyword, the service's field and a frame's default column.
    """

    help: Label
    required: bool = False
    kind: Literal["text", "number", "date", "switch", "choice"] = "text"
    choices: tuple[str, ...] = ()
    default: Any = None
    basis: BasisInput | None = None
    name: str = ""


class ProjectInputs(TypedDict, total=False):
    """The inputs of one project, as keyword arguments of :func:`~facility_sizing.size` and friends."""

    jurisdiction: Annotated[
        str | int,
        ProjectInput(
            Label(
                "行政区：中文名、拼音、英文名或6位代码", "jurisdiction: Chinese name, pinyin, English or 6-digit code"
            ),
            required=True,
        ),
    ]
    area_type: Annotated[
        str,
        ProjectInput(
            Label("居住区类型：新建 new_build、已建成 existing、农村 rural", "area type: new_build, existing or rural"),
            required=True,
        ),
    ]
    households: Annotated[
        float | None,
        ProjectInput(
            Label("户数", "households"),
            kind="number",
            basis=BasisInput(Label("户数", "households"), "inputs.hint_households"),
        ),
    ]
    population: Annotated[
        float | None,
        ProjectInput(
            Label("常住人口", "permanent population"),
            kind="number",
            basis=BasisInput(Label("常住人口", "population"), "inputs.hint_population"),
        ),
    ]
    persons_per_household: Annotated[
        float | None,
        ProjectInput(
            Label(
                "户均人口，用于户数与人口互相推算，无默认值",
                "persons per household, to derive one from the other (no default)",
            ),
            kind="number",
        ),
    ]
    on: Annotated[
        dt.date | str | None,
        ProjectInput(Label("规则日期，默认今天", "date whose rules apply (default today)"), kind="date", default=TODAY),
    ]
    include_drafts: Annotated[
        bool,
        ProjectInput(
            Label("采用征求意见稿（标注为草案）", "use consultation drafts (marked draft)"),
            kind="switch",
            default=False,
        ),
    ]
    include_reported: Annotated[
        bool,
        ProjectInput(
            Label("采用仅见于报道的文件（标注为据报道）", "use documents known by report only (marked reported)"),
            kind="switch",
            default=False,
        ),
    ]
    trust: Annotated[
        str | None,
        ProjectInput(
            Label(
                "户数与常住人口矛盾时以何者为准", "which to trust when households and population contradict each other"
            ),
            kind="choice",
            choices=("households", "population", "both"),
        ),
    ]


def _registry() -> dict[str, ProjectInput]:
    hints = get_type_hints(ProjectInputs, include_extras=True)
    out = {}
    for name, hint in hints.items():
        [spec] = [m for m in hint.__metadata__ if isinstance(m, ProjectInput)]
        out[name] = dataclasses.replace(spec, name=name)
    return out


#: Every input of a project, in order: the registry each door reads.
PROJECT_INPUTS: dict[str, ProjectInput] = _registry()

#: A column of a batch: values per row, or one cell that stands for every row.
Column: TypeAlias = np.ndarray | pd.Series


@dataclass(frozen=True)
class Projects:
    """A batch of projects: a column per input of :data:`PROJECT_INPUTS`.

    ``constant`` names the inputs given once for every row (a scalar argument): each is a
    one-cell column, checked once and spread, never repeated into ``n`` rows.
    """

    n: int
    columns: Mapping[str, Column]
    constant: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if set(self.columns) != set(PROJECT_INPUTS):
            raise TypeError(f"Projects needs exactly the inputs {list(PROJECT_INPUTS)}, got {list(self.columns)}")

    def __getitem__(self, name: str) -> Column:
        return self.columns[name]


F = TypeVar("F", bound=Callable[..., Any])


def project_signature(*, annotation: str | None = None) -> Callable[[F], F]:
    """Give a function taking ``**inputs`` the signature of the inputs it takes, for ``help()`` and tools.

    The function's own parameters stay; the project's inputs stand in the place of its
    ``**`` parameter, keyword-only, with their defaults (``annotation`` replaces every input's
    annotation: a frame's inputs are columns or values).
    """

    def decorate(func: F) -> F:
        own = inspect.signature(func)
        kept = [p for p in own.parameters.values() if p.kind is not p.VAR_KEYWORD]
        hints = get_type_hints(ProjectInputs)
        inputs = [
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                default=inspect.Parameter.empty if spec.required else spec.default,
                annotation=annotation or hints[name],
            )
            for name, spec in PROJECT_INPUTS.items()
        ]
        positional = [p for p in kept if p.kind is not p.KEYWORD_ONLY]
        keyword = [p for p in kept if p.kind is p.KEYWORD_ONLY]
        func.__dict__["__signature__"] = own.replace(parameters=[*positional, *inputs, *keyword])
        return func

    return decorate
