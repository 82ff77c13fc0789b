"""The letters of a residential area's parcels: the host's, and each contributor's (issue 29).

A parcel sized by area (``fs.size_frame(..., area=...)``) gets one of two letters:

* the **host** parcel's states the facility for the whole area — its figures, computed once for the
  area (the condition clause of :func:`~facility_sizing.render.build_clause`, for the area) — the
  parcels it serves and their households, and the duties;
* a **contributing** parcel's states that its share is provided in the host parcel (named), the
  share itself, and the duties the documents put on every parcel of the area (「同步规划、建设、验收、
  交付」, a build trigger: :data:`~facility_sizing.model.triggers.AREA_WIDE_TOPICS`).

Both cite the clause that sizes the area and quote it; the annex is the area's calculation and each
parcel's share. The words are the catalogue's (``data/messages/areas.toml``) and the rule data's; the
clause's own lines come from :mod:`facility_sizing.render.clause` unchanged.

Examples
--------
>>> import pandas as pd, facility_sizing as fs
>>> df = pd.DataFrame({"地块编号": ["A", "B"], "居住区": "XQ", "households": [600, 400]})
>>> out = fs.size_frame(df, area="居住区", jurisdiction="西湖区", area_type="new_build", on="2025-06-01")
>>> print(area_letter(out, "B").splitlines()[0])
托育服务设施配建要求（西湖区新建居住区，居住区XQ，地块B）
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd

from ..api.area_pool import build_terms
from ..api.areas import area_table
from ..api.result_attrs import result_errors
from ..api.sizing import size
from ..errors import FacilitySizingError, InputError
from ..messages import render
from ..model.quantities import QUANTITIES
from ..model.triggers import AREA_WIDE_TOPICS, TRIGGER_TOPIC, TRIGGERS
from ..model.vocabulary import GRADE_TAGS, LETTER_KINDS, Label
from ..results.requirement import Requirement
from ..ruledata import RuleBook
from .clause import Clause, Item, build_clause, stamp_line

__all__ = ["area_letter", "area_letters", "area_requirement"]

_ZH_NUMERALS = "〇一二三四五六七八九"
_LISTED = ("floor_area", "outdoor_area", "slots")  # the quantities a share states


def _say(key: str, params: dict[str, Any], lang: str) -> str:
    """A catalogue entry of ``areas`` in the letter's language."""
    return render(f"areas.{key}", params, "zh" if lang == "zh" else "en")


def _num(value: float | int) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def _row(result: pd.DataFrame, parcel: str) -> tuple[pd.Series, pd.DataFrame]:
    """The parcel's row and its area's rows."""
    if "area_parcel_id" not in result.columns:
        raise InputError("areas.not_sized_by_area", field="result", value=type(result).__name__)
    found = result[result["area_parcel_id"] == str(parcel)]
    if len(found) != 1:
        raise InputError("areas.no_such_parcel", field="parcel", value=parcel,
                         known=result["area_parcel_id"].astype(str).tolist()[:10])  # fmt: skip
    row = found.iloc[0]
    if pd.notna(row["error"]):
        exc = result_errors(result).get(row["error"])  # the row's error, worded for each reader
        said = exc.message if isinstance(exc, FacilitySizingError) else str(row["error"])
        raise InputError("areas.parcel_not_sized", field="parcel", value=parcel, error=said)
    members = found if pd.isna(row["area_id"]) else result[result["area_id"] == row["area_id"]]
    return row, members


def _area(result: pd.DataFrame, row: pd.Series) -> pd.Series:
    """The parcel's area, its row of :func:`~facility_sizing.area_table`."""
    areas = area_table(result)
    if pd.notna(row["area_id"]):
        return areas[areas["area_id"] == row["area_id"]].iloc[0]
    return areas[areas["area_id"].isna() & (areas["parcels"] == row["area_parcel_id"])].iloc[0]


def area_requirement(result: pd.DataFrame, parcel: str, rulebook: RuleBook | None = None) -> Requirement:
    """The requirement of the parcel's whole area, through :func:`~facility_sizing.size` (the same core).

    Every parcel of the area, a host of one of several facilities too, gets the whole area's: the
    area is sized as one (each host's facility is an equal part of it, ``hosted_*``).

    The area's inputs are those its row of :func:`~facility_sizing.area_table` states as used: the
    households and population given or summed (a derived one is derived again, the same way).
    """
    row, _ = _row(result, parcel)
    area = _area(result, row)
    inputs: dict[str, Any] = {
        name: area[name] for name in ("jurisdiction", "area_type", "on", "include_drafts", "include_reported")
    }
    inputs["include_drafts"], inputs["include_reported"] = (
        bool(inputs["include_drafts"]),
        bool(inputs["include_reported"]),
    )
    for name in ("households", "population"):
        if pd.notna(area[name]) and not bool(area[f"{name}_derived"]):
            inputs[name] = float(area[name])
    if pd.notna(area["persons_per_household"]):
        inputs["persons_per_household"] = float(area["persons_per_household"])
    return size(rulebook=rulebook, **inputs)


def _quote(req: Requirement, shared: bool = False) -> tuple[list[str], str]:
    """The clause quoted for the area and its words (the documents' area, quoted); with ``shared``, the
    clauses of the figures the parcels share (areas and slots: not a limit, nor the count of facilities)."""
    uses = [u for u in req.rules if u.kind == "figure" and u.rule is not None]
    if shared:
        uses = [u for u in uses if QUANTITIES[u.quantity].direction == "at_least" and u.quantity != "facilities"]
    rules = [u.rule for u in uses if u.rule is not None]
    rules = rules or [t.rule for t in req.plan.obligations]  # no figure: the duty the document does state
    if not rules:
        return [d.label for d in req.plan.documents], req.area_term
    if shared:
        return list(dict.fromkeys(r.citation() for r in rules)), rules[0].text
    return [rules[0].citation()], rules[0].text  # the clause whose words are quoted, and only it


def _tag(rule: Any, zh: bool) -> str:
    tag = GRADE_TAGS[rule.document.grade]
    return tag.zh if zh else tag.en


def _trigger_items(req: Requirement) -> list[Item]:
    """A build trigger's line: its condition, the point in the housing's progress, the clause quoted."""
    items = []
    for term in build_terms(req.plan):
        rule = term.rule
        if rule.topic != TRIGGER_TOPIC or rule.trigger is None:
            continue
        said = TRIGGERS[rule.trigger].column
        params = {
            "condition": f"{rule.condition}：" if rule.condition else "",
            "condition_en": f"{rule.condition_en}: " if rule.condition_en else "",
            "said": said.zh.format(v=rule.value_text),
            "said_en": said.en.format(v=rule.value_text),
            "citation": rule.citation(),
            "tag": _tag(rule, True),
            "tag_en": _tag(rule, False),
            "quote": rule.text,
        }
        items.append(Item(TRIGGER_TOPIC, _say("trigger_line", params, "zh"),
                          _say("trigger_line", params, "en")))  # fmt: skip
    return items


def _area_wide(clause: Clause) -> list[Item]:
    """The clause's duties that bind every parcel of the area (同步规划、建设、验收…)."""
    return [i for i in clause.obligations if i.key in AREA_WIDE_TOPICS]


def _shares(row: pd.Series, lang: str) -> list[str]:
    """A parcel's shares, as the letter lists them."""
    zh = lang == "zh"
    out = []
    for q in _LISTED:
        spec = QUANTITIES[q]
        value = row[spec.column]
        if pd.notna(value):
            label = spec.letter_label.zh if zh else spec.letter_label.en
            unit = spec.letter_unit.zh if zh else spec.letter_unit.en
            out.append(
                f"{label}{_num(value)}{unit.removesuffix(label)}" if zh else f"{label.lower()} {_num(value)} {unit}"
            )
    return out


def _hosted(row: pd.Series) -> pd.Series:
    """A host's own facility (``hosted_*``) under the shared quantities' columns, as :func:`_shares` reads them."""
    return pd.Series({QUANTITIES[q].column: row[f"hosted_{QUANTITIES[q].column}"] for q in _LISTED})


def _served(members: pd.DataFrame, lang: str) -> list[str]:
    """Each parcel of the area with its households (as used)."""
    zh = lang == "zh"
    out = []
    for pid, hh in zip(members["area_parcel_id"], members["households"], strict=True):
        count = "户数未知" if pd.isna(hh) else f"{_num(float(hh))}户"
        count_en = "households unknown" if pd.isna(hh) else f"{_num(float(hh))} households"
        out.append(f"{pid}（{count}）" if zh else f"{pid} ({count_en})")
    return out


def _role_lines(row: pd.Series, members: pd.DataFrame, req: Requirement, lang: str) -> list[str]:
    """The host's or the contributor's first lines: what the area's facility is, where, and the clause."""
    citations, quote = _quote(req)
    area = row["area_id"] if pd.notna(row["area_id"]) else row["area_parcel_id"]
    hosts = str(row["area_host_id"]).split("、")
    params: dict[str, Any] = {"area": area, "citations": citations, "quote": quote, "host": hosts}
    if not bool(row["area_host"]):
        return [_say("contributor_role", params, lang)]
    total = members["households"].sum(min_count=len(members))
    params.update(served=_served(members, lang), households="—" if pd.isna(total) else _num(float(total)))
    others = [h for h in hosts if h != str(row["area_parcel_id"])]
    lines = [_say("host_role_several" if others else "host_role", params, lang)]
    if others:
        rule = _say(
            "host_rule_site" if row.get("area_host_rule") == "fs.site p-median" else "host_rule_named", {}, lang
        )
        params = {"others": others, "hosts": hosts, "count": len(hosts), "rule": rule,
                  "figures": _shares(_hosted(row), lang) or ["—"]}  # fmt: skip
        lines.append(_say("host_others", params, lang))
    return lines


def _share_line(row: pd.Series, members: pd.DataFrame, req: Requirement, lang: str) -> str:
    """The contributor's share, by households (or population), provided within the host parcel."""
    basis = row["share_basis"]
    shares = _shares(row, lang)
    if basis is None or (isinstance(basis, float) and pd.isna(basis)) or not shares:
        known = members["households"].notna().all() or members["population"].notna().all()
        return (
            _say("share_none", {"citations": _quote(req, shared=True)[0]}, lang)
            if known
            else _say("share_unknown", {}, lang)
        )
    zh = lang == "zh"
    column, unit = (
        ("households", "户" if zh else " households")
        if basis == "households"
        else ("population", "人" if zh else " people")
    )
    words = {"households": Label("户数", "households"), "population": Label("人口", "population")}[basis]
    own = f"{_num(float(row[column]))}{unit}"
    whole = f"{_num(float(members[column].sum()))}{unit}"
    served = row.get("area_served_by")  # the host whose facility serves this parcel, where it is known
    params = {"basis": words.zh if zh else words.en, "own": own, "whole": whole, "shares": shares,
              "host": [served] if isinstance(served, str) else str(row["area_host_id"]).split("、"),
        "citations": _quote(req, shared=True)[0]}  # fmt: skip
    return _say("contributor_share", params, lang)


def _annex(row: pd.Series, members: pd.DataFrame, clause: Clause, lang: str) -> tuple[str, list[str]]:
    """The annex: the area's calculation (the clause's figures and inputs), each parcel's share, and the rule."""
    zh = lang == "zh"
    area = row["area_id"] if pd.notna(row["area_id"]) else row["area_parcel_id"]
    figures = [] if bool(row["area_host"]) else [i.zh if zh else i.en for i in clause.sizing]  # the host's are above
    lines = figures + (clause.inputs_zh if zh else clause.inputs_en)
    hosts = str(row["area_host_id"]).split("、")
    if len(hosts) > 1:  # the area's figures, sized as one, split equally among its hosts
        join, colon = ("、", "：") if zh else (", ", ": ")
        parts = [
            f"{m['area_parcel_id']}{colon}{join.join(_shares(_hosted(m), lang)) or '—'}"
            for _, m in members.iterrows()
            if bool(m["area_host"])
        ]
        lines.append(_say("annex_facilities", {"count": len(hosts), "hosts": hosts, "parts": parts}, lang))
    for _, member in members.iterrows():
        hh = "—" if pd.isna(member["households"]) else _num(float(member["households"]))
        host = ("（承建）" if zh else " (host)") if bool(member["area_host"]) else ""
        params = {"parcel": member["area_parcel_id"], "host": host, "households": hh,
                  "shares": _shares(member, lang) or ["—"]}  # fmt: skip
        lines.append(_say("annex_parcel", params, lang))
    basis = {"households": Label("户数", "households"), "population": Label("人口", "population")}.get(
        str(row["share_basis"]), Label("户数", "households")
    )
    lines.append(_say("annex_rule", {"basis": basis.zh if zh else basis.en}, lang))
    return _say("annex_head", {"area": area}, lang), lines


def _sections(
    row: pd.Series, members: pd.DataFrame, req: Requirement, clause: Clause, lang: str
) -> list[tuple[str, list[str]]]:
    """The letter's numbered sections, each its heading and its lines."""
    zh = lang == "zh"

    def text(item: Item) -> str:
        return item.zh if zh else item.en

    def head(key: str) -> str:
        return _say(key, {}, lang)

    triggers = _trigger_items(req)
    documents = [d["zh"] if zh else d["en"] for d in clause.documents]
    role = (head("role_head"), _role_lines(row, members, req, lang))
    if bool(row["area_host"]):
        heads = [h.zh if zh else h.en for h in clause.heads]
        duties = [text(i) for i in clause.obligations] + [text(i) for i in triggers]
        sections = [role, (heads[0], [text(i) for i in clause.sizing]), (heads[1], duties)]
    else:
        duties = [text(i) for i in _area_wide(clause)] + [text(i) for i in triggers]
        sections = [
            role,
            (head("share_head"), [_share_line(row, members, req, lang)]),
            (head("area_wide_head"), duties),
        ]
    sections.append(("依据文件" if zh else "Documents", documents))
    return [(h, lines) for h, lines in sections if lines]


def area_letter(result: pd.DataFrame, parcel: str, lang: str = "zh", rulebook: RuleBook | None = None) -> str:
    """The letter of one parcel of a result sized by area: the host's, or a contributor's, as plain text.

    Raises
    ------
    InputError
        ``result`` was not sized by area, no parcel has the id, or the parcel's row has an error.
    """
    if lang not in ("zh", "en"):
        raise InputError("areas.no_such_language", field="lang", value=lang)
    row, members = _row(result, parcel)
    req = area_requirement(result, parcel, rulebook)
    if req.area_type != "new_build":  # existing and rural areas transfer no land: no host builds for them
        place = req.jurisdiction.name
        raise InputError("areas.letters_new_build_only", field="area_type", value=req.area_type, place=place)
    if req.no_residents:  # an area of no households is no residential project: nothing to host or share
        row, _members = _row(result, parcel)
        area = row["area_id"] if pd.notna(row["area_id"]) else row["area_parcel_id"]
        raise InputError("areas.no_residents_letter", field="households", value=0, area=area)
    clause = build_clause(req)
    zh = lang == "zh"
    kind = LETTER_KINDS[req.area_type]
    area = row["area_id"] if pd.notna(row["area_id"]) else row["area_parcel_id"]
    place = f"{req.jurisdiction.name}{req.area_term}" if zh else req.jurisdiction.name_en
    title = kind.title.zh if zh else kind.title.en
    lines = [_say("letter_title", {"title": title, "place": place, "area": area, "parcel": parcel}, lang)]
    lead = [f"【{f}】" if zh else f"[{f}]" for f in (clause.flags_zh if zh else clause.flags_en)]
    preamble = clause.preamble_zh if zh else clause.preamble_en
    lead += [preamble] if preamble else []
    lines += ["", *lead] if lead else []
    for number, (head, items) in enumerate(_sections(row, members, req, clause, lang), start=1):
        lines += ["", f"{_ZH_NUMERALS[number]}、{head}" if zh else f"{number}. {head}"]
        lines += [f"（{n}）{t}" if zh else f"({n}) {t}" for n, t in enumerate(items, start=1)]
    annex_head, annex = _annex(row, members, clause, lang)
    lines += ["", annex_head, *[f"（{n}）{t}" if zh else f"({n}) {t}" for n, t in enumerate(annex, start=1)]]
    if clause.stamp:
        said = stamp_line(clause.stamp, lang)
        lines += ["", f"（{said}）" if zh else f"({said})"]
    return "\n".join(lines) + "\n"


def area_letters(
    result: pd.DataFrame, lang: str = "zh", rulebook: RuleBook | None = None
) -> Iterator[tuple[str, str | FacilitySizingError]]:
    """Each parcel of a result sized by area, in row order, with its letter (:func:`area_letter`) or the
    typed error that says why it has none (its row's error, an existing area …): for the writers of a batch."""
    for parcel in result["area_parcel_id"]:
        try:
            yield str(parcel), area_letter(result, str(parcel), lang, rulebook)
        except FacilitySizingError as err:
            yield str(parcel), err
