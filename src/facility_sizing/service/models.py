"""The request bodies of the JSON endpoints: the library's keyword arguments, same names and defaults.

Each model forbids unknown fields, so a misspelt name (``household``) is a 422 naming it rather
than an input silently left out. Values are checked by the library itself, so the service gives
the library's own error codes and messages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, create_model

from ..model.project import PROJECT_INPUTS, TODAY, ProjectInput

__all__ = [
    "CLAUSE_EXAMPLE",
    "DUTIES_EXAMPLE",
    "REVIEW_EXAMPLE",
    "SCORECARD_EXAMPLE",
    "SIZE_EXAMPLE",
    "ClauseRequest",
    "DutiesRequest",
    "ProjectRequest",
    "ReviewRequest",
    "ScorecardRequest",
]

#: A name or code as text: long enough for any place in China, short enough that a search for it stays quick.
Name = Annotated[str, StringConstraints(max_length=100)]

#: A whole number: JSON's ``2024.0`` is one (JSON Schema's ``integer`` admits it), read as the int it is.
Whole = Annotated[int, BeforeValidator(lambda v: int(v) if isinstance(v, float) and v.is_integer() else v)]


def _whole_numbers(design: Any) -> Any:
    """A design's whole floats as ints (JSON's ``2.0`` is the storey 2), so a float never fails an int check."""
    if not isinstance(design, dict):
        return design

    def whole(v: Any) -> Any:
        if isinstance(v, list):
            return [whole(x) for x in v]
        return int(v) if isinstance(v, float) and v.is_integer() else v

    return {k: whole(v) for k, v in design.items()}


#: A number as a person typed it (``1,200``, ``１２００``, ``1200户``): read by the library, which
#: refuses what is ambiguous.
Typed = Annotated[str, StringConstraints(max_length=40)]

#: The examples of the specification: the README's Xihu project, and its relatives.
SIZE_EXAMPLE: dict[str, Any] = {
    "jurisdiction": "西湖区",
    "households": 1200,
    "area_type": "new_build",
    "on": "2025-01-01",
}
CLAUSE_EXAMPLE: dict[str, Any] = {**SIZE_EXAMPLE, "lang": "zh", "format": "text"}
REVIEW_EXAMPLE: dict[str, Any] = {
    **SIZE_EXAMPLE,
    "design": {"floor_area_m2": 180, "outdoor_area_m2": 60, "floors": [1, 2]},
}
SCORECARD_EXAMPLE: dict[str, Any] = {
    "inventory": {"population": 1_000_000, "slots": 4_560},
    "jurisdiction": "柯桥区",
    "year": 2024,
}
DUTIES_EXAMPLE: dict[str, Any] = {
    "jurisdiction": "苏州市",
    "subject": "employer",
    "eligible_children": 18,
    "on": "2025-01-01",
}


#: What the service takes for each kind of project input: text, or a number as a number or as typed.
_KINDS: dict[str, Any] = {
    "text": Name | Whole,
    "number": int | float | Typed | None,
    "date": Annotated[str, StringConstraints(max_length=40)] | None,
    "switch": bool,
    "choice": Annotated[str, StringConstraints(max_length=40)] | None,
}


class _Project(BaseModel):
    """What every project request does with its fields."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"examples": [SIZE_EXAMPLE]})

    def library_args(self) -> dict[str, Any]:
        """The keyword arguments of ``fs.size`` this request gives (a whole-number households as an int)."""
        args = {name: getattr(self, name) for name in PROJECT_INPUTS}
        households = args["households"]
        if isinstance(households, float) and households.is_integer():
            args["households"] = int(households)
        if args["on"] is None:
            del args["on"]  # today
        return args


def _field(spec: ProjectInput) -> tuple[Any, Any]:
    """A request field of one project input: its type by kind, its default, its description from the registry."""
    default = ... if spec.required else (None if spec.default == TODAY else spec.default)
    described = f"{spec.help.zh} — {spec.help.en}"
    if spec.choices:  # the allowed values, in the specification too (the library also reads their Chinese)
        return _KINDS[spec.kind], Field(
            default, description=described, json_schema_extra={"enum": [*spec.choices, None]}
        )
    return _KINDS[spec.kind], Field(default, description=described)


if TYPE_CHECKING:  # what a type checker needs to know of the fields: they are the registry's
    _ProjectFields = _Project
else:
    _FIELDS: dict[str, Any] = {name: _field(spec) for name, spec in PROJECT_INPUTS.items()}
    _ProjectFields = create_model("_ProjectFields", __base__=_Project, **_FIELDS)


class ProjectRequest(_ProjectFields):
    """One project: the keyword arguments of ``fs.size`` (``POST /size``), a field per input of the registry.

    Examples
    --------
    >>> ProjectRequest(**SIZE_EXAMPLE).library_args()["households"]
    1200
    """


class ClauseRequest(ProjectRequest):
    """A project and the clause's language and format (``POST /clause``)."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"examples": [CLAUSE_EXAMPLE]})

    lang: Literal["zh", "en"] = Field("zh", description="语言 — language")
    format: Literal["text", "markdown", "json", "docx"] = Field(
        "text", description="格式：text、markdown、json 或 docx（Word 条件书）— format, docx the Word letter"
    )
    round_area: Literal["exact", "up"] = Field(
        "exact",
        description="面积写法：exact 按计算值（至0.01平方米），up 向上取整到整平方米并注明计算值 — areas as computed, "
        "or rounded up to whole m² with the computed figure beside",
    )


class ReviewRequest(ProjectRequest):
    """A project and its design (``POST /review``): the arguments of ``fs.review``."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"examples": [REVIEW_EXAMPLE]})

    design: Annotated[dict[str, Any], BeforeValidator(_whole_numbers)] = Field(
        description="设计方案：floor_area_m2、outdoor_area_m2、slots、floors … — the design's fields"
    )
    include_unverified: bool = Field(False, description="采用未核实的国家标准条文 — apply unverified national rules")


class ScorecardRequest(BaseModel):
    """A district's figures scored against its targets for a year (``POST /scorecard``)."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"examples": [SCORECARD_EXAMPLE]})

    inventory: dict[str, Any] = Field(description="统计数据，字段见 fs.inventory_fields() — the district's figures")
    jurisdiction: Name | Whole = Field(description="行政区 — jurisdiction")
    year: Whole = Field(description="目标年份 — target year")
    include_drafts: bool = False
    include_reported: bool = False


class DutiesRequest(BaseModel):
    """Which duties apply to an employer, an industrial park or a kindergarten (``POST /duties``)."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"examples": [DUTIES_EXAMPLE]})

    jurisdiction: Name | Whole = Field(description="行政区 — jurisdiction")
    subject: str = Field(description="employer / industrial_park / kindergarten（或中文）— subject")
    on: str | None = None
    staff: Whole | None = None
    employees: Whole | None = None
    eligible_children: Whole | None = None
    project: str | None = None
    public: bool | None = None
    first_year_classes: Whole | None = None
    include_drafts: bool = False
    include_reported: bool = False
