"""Build the checked-in division registry from the NBS 2023 and MCA 2020 lists in tests/fixtures/divisions.

Run from the repository root (the lists are copies of shared/divisions, kept in the project so a clone builds alone)::

    python scripts/build_divisions.py --source tests/fixtures/divisions --out src/facility_sizing/data/registry

Needs ``pypinyin`` and ``opencc-python-reimplemented`` (build-time tools only: the library reads the
generated files as data and never imports either). The output is deterministic: the same sources and
tool versions give byte-identical files, and every file is written atomically.

Outputs
-------
``divisions.csv``
    Every province, prefecture-level city and county-level unit of both lists, one row each.
``traditional.csv``
    A traditional→simplified character map limited to the characters of the division names.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from facility_sizing.registry import COLUMNS

NBS = "nbs2023"
MCA = "mca2020"
EDITIONS = (MCA, NBS)  # oldest first; the last one listing a code is its ``last_edition``
BUILD_COMMAND = (
    "python scripts/build_divisions.py --source tests/fixtures/divisions --out src/facility_sizing/data/registry"
)
# the data file's columns, as the library reads them (one declaration, in the registry)

# NBS "cities" that are placeholders, not divisions: the municipalities' 市辖区 / 县 and the provinces'
# 省直辖县级行政区划. Their county-level units get the province as parent (see docs/divisions.md).
PLACEHOLDER_NAMES = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")

# County-level codes only in NBS 2023 whose last two digits are outside 71–79 (the NBS range for
# functional zones) but which are still statistical units, not GB/T 2260 divisions.
STATISTICAL_EXCEPTIONS = {
    "232761": "大兴安岭地区的区：统计用区划，不在 GB/T 2260",
    "232762": "大兴安岭地区的区：统计用区划，不在 GB/T 2260",
    "232763": "大兴安岭地区的区：统计用区划，不在 GB/T 2260",
    "232764": "大兴安岭地区的区：统计用区划，不在 GB/T 2260",
    "632857": "行政委员会：统计用区划，不在 GB/T 2260",
}
# NBS 2023 codes not in MCA 2020 that are new administrative divisions (reviewed by hand): the build
# fails if the sources hold an unreviewed one, so a new edition cannot slip a zone in as a division.
NEW_ADMINISTRATIVE = frozenset(
    [
        "330113",
        "330114",
        "350404",
        "350405",
        "350604",
        "350605",
        "410307",
        "410308",
        "431181",
        "450181",
        "513402",
        "520581",
        "532302",
        "540481",
        "540581",
        "610305",
        "610981",
        "654203",
        "659012",
    ]
)

_HANGZHOU = "浙江省人民政府关于调整杭州市部分行政区划的通知(2021-03-11), quoted at https://hg3970.com/baike/48683.html"
_SANMING = "福建省人民政府关于同意调整三明市部分行政区划的批复, reported at https://www.chinanews.com/gn/2021/02-03/9403404.shtml"
_LUOYANG = "国务院批复(洛阳市行政区划调整), reported at https://news.dahe.cn/2021/03-18/813998.html"
_HENGZHOU = "民政部批复(撤销横县设立县级横州市), reported at https://m.yd166.com/jingyan/5608601206.html"
_WEST4 = "陕西、新疆、四川、云南政府网站消息, reported at https://toutiao.com/topic/7462183457725155347"
# Abolished codes (in MCA 2020, not in NBS 2023) and what replaced them, with the source that says so.
SUCCESSORS: dict[str, tuple[tuple[str, ...], str]] = {
    "330103": (("330105",), _HANGZHOU),  # 下城区 → 新的拱墅区
    "330104": (("330102", "330114"), _HANGZHOU),  # 江干区 → 新的上城区; 下沙、白杨街道 → 钱塘区
    "350402": (("350404",), _SANMING),  # 梅列区 → 新的三元区
    "350403": (("350404",), _SANMING),  # 三元区 → 新的三元区
    "350427": (("350405",), _SANMING),  # 沙县 → 沙县区
    "350625": (("350605",), _SANMING),  # 长泰县 → 长泰区
    "350681": (("350604",), _SANMING),  # 龙海市 → 龙海区
    "410306": (("410308",), _LUOYANG),  # 吉利区 → 孟津区
    "410322": (("410308",), _LUOYANG),  # 孟津县 → 孟津区
    "410381": (("410307",), _LUOYANG),  # 偃师市 → 偃师区
    "450127": (("450181",), _HENGZHOU),  # 横县 → 横州市
    "513425": (("513402",), _WEST4),  # 会理县 → 会理市
    "532331": (("532302",), _WEST4),  # 禄丰县 → 禄丰市
    "610322": (("610305",), _WEST4),  # 凤翔县 → 凤翔区
    "654223": (("654203",), _WEST4),  # 沙湾县 → 沙湾市
}
# pypinyin's readings of some place-name characters differ from the names' usual readings: fixed here
# (a known-wrong reading is worse than none). Characters first, then whole phrases, which win.
PINYIN_CHARS = {"长": "chang", "都": "du", "朝": "chao", "勒": "le", "什": "shi"}
PINYIN_PHRASES = {
    "长子": "zhang zi", "乐清": "yue qing", "乐亭": "lao ting", "南乐": "nan le", "民乐": "min le",
    "单县": "shan xian", "洪洞": "hong tong", "曾都": "zeng du", "万柏林": "wan bai lin", "荥经": "ying jing",
    "漯河": "luo he", "繁峙": "fan shi", "闵行": "min hang", "浚县": "xun xian", "吴堡": "wu bao",
    "蚌山": "beng shan", "涡阳": "guo yang", "浪卡子": "lang ka zi",
    "筠连": "jun lian",
}  # fmt: skip
# English stems that differ from the pinyin by convention (Shaanxi tells 陕西 from 山西 Shanxi).
ENGLISH_STEMS = {"陕西": "Shaanxi"}
INFERRED = "inferred: same parent and name stem in nbs2023, old code absent there"

# Suffixes by level, longest first; a suffix is removed only if at least two characters remain.
SUFFIXES = {
    "province": (("特别行政区", "Special Administrative Region"), ("自治区", "Autonomous Region"),
                 ("省", "Province"), ("市", "Municipality")),
    "city": (("自治州", "Autonomous Prefecture"), ("地区", "Prefecture"), ("盟", "League"), ("市", "City")),
    "county": (("自治县", "Autonomous County"), ("自治旗", "Autonomous Banner"), ("新区", "New Area"),
               ("矿区", "Mining District"), ("区", "District"), ("县", "County"), ("市", "City"), ("旗", "Banner")),
}  # fmt: skip
# Suffixes that are also ordinary name endings (万柏林区, 北林区): only these names carry them.
SPECIAL_SUFFIXES = {"神农架林区": ("林区", "Forestry District"), "六枝特区": ("特区", "Special District")}
STATISTICAL_SUFFIXES = (
    ("经济技术开发区", "Economic and Technological Development Zone"),
    ("高新技术产业开发区", "High-tech Industrial Development Zone"),
    ("高技术产业开发区", "High-tech Industrial Development Zone"),
    ("高新技术产业园区", "High-tech Industrial Park"),
    ("高新技术开发区", "High-tech Development Zone"),
    ("城乡一体化示范区", "Urban-Rural Integration Demonstration Zone"),
    ("经济综合实验区", "Comprehensive Economic Experimental Zone"),
    ("风景名胜区", "Scenic Area"),
    ("经济开发区", "Economic Development Zone"),
    ("产业聚集区", "Industrial Cluster"),
    ("管理区管委会", "Administrative Zone"),
    ("行政委员会", "Administrative Committee"),
    ("工业园区", "Industrial Park"),
    ("产业园区", "Industrial Park"),
    ("开发区", "Development Zone"),
    ("示范区", "Demonstration Zone"),
    ("管理区", "Administrative Zone"),
    ("新区", "New Area"),
    ("新城", "New Town"),
    ("园区", "Park"),
    ("区", "District"),
)
ETHNIC = [
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
    "各",
]
# Ethnic names that appear without 族 in autonomous names (伊犁哈萨克自治州); single characters never do.
_ETHNIC_BARE = tuple(e for e in ETHNIC if len(e) >= 2)


def split_name(name: str, level: str, kind: str) -> tuple[str, str, str]:
    """Split a name into (short name, English stem source, English suffix).

    The short name drops the level suffix and, for autonomous divisions, the ethnic names before it;
    it keeps the full name when fewer than two characters would remain (和县, 城区, 芒市). Statistical
    units keep their full name as short name.
    """
    table = STATISTICAL_SUFFIXES if kind == "statistical" else SUFFIXES[level]
    pairs = (SPECIAL_SUFFIXES[name],) if name in SPECIAL_SUFFIXES else table
    found = next(((s, e) for s, e in pairs if name.endswith(s) and len(name) - len(s) >= 2), None)
    if found is None:
        for suffix, english in pairs:
            if name.endswith(suffix) and len(name) > len(suffix):
                return name, name[: -len(suffix)], english  # 和县: short 和县, English "He County"
        return name, name, ""
    suffix, english = found
    stem = name[: -len(suffix)]
    if kind == "statistical":
        return name, stem, english
    if suffix.startswith("自治"):
        stem = strip_ethnic(stem)
    return stem, stem, english


def strip_ethnic(stem: str) -> str:
    """Remove trailing ethnic names (土家族苗族, 哈萨克) while two characters or more remain."""
    original = stem
    changed = True
    while changed:
        changed = False
        for ethnic in sorted(ETHNIC, key=len, reverse=True):
            for form in (ethnic + "族", ethnic) if ethnic in _ETHNIC_BARE else (ethnic + "族",):
                rest = stem[: -len(form)]
                if stem.endswith(form) and len(rest) >= 2:
                    stem, changed = rest, True
                    break
            if changed:
                break
    if stem == original and original.endswith("族") and len(original) >= 3:
        return original[:-1]  # 东乡族自治县, 鄂温克族自治旗: the ethnic name is the place name
    return stem


@dataclass
class Row:
    """One registry row while building."""

    code: str
    name: str
    level: str
    parent: str
    kind: str = "administrative"
    editions: tuple[str, ...] = ()
    replaced_by: str = ""
    replaced_source: str = ""


def syllables_of(name: str) -> list[str]:
    """Toneless lowercase pinyin, one syllable per character, with the place-name fixes applied."""
    from pypinyin import lazy_pinyin

    out = [PINYIN_CHARS.get(ch, s.lower()) for ch, s in zip(name, lazy_pinyin(name, v_to_u=True), strict=True)]
    for phrase, reading in PINYIN_PHRASES.items():
        start = name.find(phrase)
        if start >= 0:
            out[start : start + len(phrase)] = reading.split()
    return out


def ascii_pinyin(syllables: list[str]) -> str:
    """Pinyin as typed on a keyboard: ü as v (lvliang), the convention of pinyin input methods."""
    return "".join(syllables).replace("ü", "v")


def read_csv(path: Path) -> list[dict[str, str]]:
    """Read one source CSV (UTF-8, header row)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def collect(source: Path) -> dict[str, Row]:
    """Merge both lists into rows keyed by 6-digit code."""
    rows: dict[str, Row] = {}
    seen: dict[str, set[str]] = {}

    def add(code: str, name: str, level: str, parent: str, edition: str) -> None:
        row = rows.get(code)
        if row is None:
            rows[code] = Row(code, name, level, parent)
        elif row.name != name:
            raise SystemExit(f"{code}: {edition} names it {name!r}, the other list {row.name!r}")
        seen.setdefault(code, set()).add(edition)

    for r in read_csv(source / "nbs2023_provinces.csv"):
        add(r["code"] + "0000", r["name"], "province", "", NBS)
    for r in read_csv(source / "mca2020_provinces.csv"):
        add(r["code"], r["name"], "province", "", MCA)
    placeholders = set()
    for r in read_csv(source / "nbs2023_cities.csv"):
        if r["name"] in PLACEHOLDER_NAMES:
            placeholders.add(r["code"] + "00")
            continue
        add(r["code"] + "00", r["name"], "city", r["provinceCode"] + "0000", NBS)
    for r in read_csv(source / "mca2020_cities.csv"):
        if r["name"].endswith("直辖县级行政区划"):  # MCA spells them 河南省-省直辖县级行政区划
            placeholders.add(r["code"])
            continue
        add(r["code"], r["name"], "city", r["province"] + "0000", MCA)
    cities = {code: row.name for code, row in rows.items() if row.level == "city"}
    areas = [(r, NBS, r["cityCode"] + "00") for r in read_csv(source / "nbs2023_areas.csv")]
    areas += [(r, MCA, r["code"][:4] + "00") for r in read_csv(source / "mca2020_areas.csv")]
    for r, edition, city in areas:
        if r["code"] in cities or cities.get(city) == r["name"]:
            continue  # a city without county-level units, repeated by NBS as its own county (东莞市, 嘉峪关市)
        parent = r["code"][:2] + "0000" if city in placeholders else city
        add(r["code"], r["name"], "county", parent, edition)
    for code, editions in seen.items():
        rows[code].editions = tuple(e for e in EDITIONS if e in editions)
    return rows


def classify(rows: dict[str, Row]) -> None:
    """Set kind (administrative/statistical) and replacements of abolished codes."""
    nbs_only = sorted(c for c, r in rows.items() if r.level == "county" and r.editions == (NBS,))
    unreviewed = [
        c
        for c in nbs_only
        if not 71 <= int(c[4:]) <= 79 and c not in STATISTICAL_EXCEPTIONS.keys() | NEW_ADMINISTRATIVE
    ]
    if unreviewed:
        raise SystemExit(f"unreviewed NBS-only county codes, classify them first: {unreviewed}")
    for code in nbs_only:
        if code not in NEW_ADMINISTRATIVE:
            rows[code].kind = "statistical"
    for code, row in rows.items():
        if row.level != "county" or NBS in row.editions:
            continue
        if code in SUCCESSORS:
            successors, source = SUCCESSORS[code]
        else:
            successors, source = _inferred_successor(row, rows)
        row.replaced_by = ";".join(successors) if successors else "unknown"
        row.replaced_source = source


def _inferred_successor(row: Row, rows: dict[str, Row]) -> tuple[tuple[str, ...], str]:
    stem = split_name(row.name, "county", "administrative")[0]
    same = tuple(
        c
        for c, r in sorted(rows.items())
        if r.parent == row.parent
        and r.editions == (NBS,)
        and r.kind == "administrative"
        and split_name(r.name, "county", "administrative")[0] == stem
    )
    return (same, INFERRED) if len(same) == 1 else ((), "")


def status(row: Row) -> str:
    """``abolished`` for a county-level code listed by MCA 2020 only; NBS covers the mainland only."""
    return "abolished" if row.level == "county" and NBS not in row.editions else "current"


def render(rows: dict[str, Row], source: Path) -> str:
    """The registry CSV text: a ``#`` comment header, then the column header and one row per code."""
    body = io.StringIO()
    writer = csv.writer(body, lineterminator="\n")
    writer.writerow(COLUMNS)
    for code in sorted(rows):
        row = rows[code]
        short, stem, english = split_name(row.name, row.level, row.kind)
        syllables = syllables_of(row.name)
        if not all(s.replace("ü", "").isascii() and s.replace("ü", "v").isalpha() for s in syllables):
            raise SystemExit(f"{code}: no pinyin for every character of {row.name!r}: {syllables}")
        stem_en = ENGLISH_STEMS.get(stem) or "".join(syllables[: len(stem)]).capitalize()
        name_en = f"{stem_en} {english}" if english else stem_en
        writer.writerow(
            (code, row.name, short, ascii_pinyin(syllables[: len(short)]), ascii_pinyin(syllables), name_en, row.level,
             row.parent, row.kind, ";".join(row.editions), status(row), row.replaced_by, row.replaced_source)
        )  # fmt: skip
    text = body.getvalue()
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    files = sorted(p.name for p in source.glob("*.csv") if not p.name.endswith("_streets.csv"))
    header = [
        "Chinese administrative divisions: provinces, prefecture-level cities, county-level units.",
        "Generated data: do not edit by hand. Rebuild with:",
        f"  {BUILD_COMMAND}",
        f"Editions: {NBS} = 国家统计局 2023 统计用区划代码 (cut-off 2023-06-30); "
        f"{MCA} = 民政部 GB/T 2260 codes as of 2021-01-04.",
        "Sources (tests/fixtures/divisions, copied from shared/divisions; see its README.md; sha256 of each file):",
        *(f"  {n} {hashlib.sha256((source / n).read_bytes()).hexdigest()}" for n in files),
        "pinyin/pinyin_full: derived with pypinyin (toneless, lowercase); may be wrong for polyphonic characters.",
        "name_en: derived from pinyin + a translation of the level suffix; not an official English name.",
        "kind: statistical = NBS-only functional zone (codes xxxx71-79 and a reviewed list), else administrative.",
        "status: abolished = county-level code in mca2020 and not in nbs2023; replaced_by: codes or 'unknown'.",
        "Municipalities and 省直辖县级行政区划: their county-level units have the province as parent.",
        f"sha256 of the rows below (from the column header on): {digest}",
    ]
    return "".join(f"# {line}\n" for line in header) + text


def traditional_map(rows: dict[str, Row]) -> str:
    """A traditional→simplified map for the characters of the division names (from OpenCC's tables)."""
    import opencc

    t2s = opencc.OpenCC("t2s")
    chars = sorted({ch for row in rows.values() for ch in row.name})
    table = Path(opencc.__file__).parent / "dictionary" / "STCharacters.txt"
    variants: dict[str, list[str]] = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        simp, _, trad = line.partition("\t")
        variants[simp] = trad.split()
    pairs = set()
    for ch in chars:
        for trad in variants.get(ch, []):
            if trad != ch and trad not in chars and t2s.convert(trad) == ch:
                pairs.add((trad, ch))
    lines = [
        "# Traditional → simplified characters for the names in divisions.csv (generated; do not edit).",
        "# From OpenCC's STCharacters table, kept where OpenCC's t2s maps the variant back to the character",
        "# and the variant is not itself a character of a simplified name (乾县 keeps 乾).",
        f"# Rebuild with: {BUILD_COMMAND}",
        "traditional,simplified",
        *(f"{t},{s}" for t, s in sorted(pairs)),
    ]
    return "\n".join(lines) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build(source: Path, out: Path) -> dict[str, Row]:
    """Build both files from ``source`` into ``out``; return the rows."""
    rows = collect(source)
    classify(rows)
    write_atomic(out / "divisions.csv", render(rows, source))
    write_atomic(out / "traditional.csv", traditional_map(rows))
    return rows


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("tests/fixtures/divisions"))
    parser.add_argument("--out", type=Path, default=Path("src/facility_sizing/data/registry"))
    args = parser.parse_args(argv)
    rows = build(args.source, args.out)
    levels = {lvl: sum(r.level == lvl for r in rows.values()) for lvl in ("province", "city", "county")}
    print(f"wrote {len(rows)} divisions {levels} to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
