"""One test per source rule, with literal expected values and the clause beside each.

Expected values are worked by hand from the documents in shared/seeds, never computed by the
library's own code.
"""

from __future__ import annotations

import pytest

import facility_sizing as fs

ON = "2025-01-01"


def xihu(households: int, area_type: str = "new_build") -> fs.Requirement:
    return fs.size(jurisdiction="西湖区", households=households, area_type=area_type, on=ON)


# --- 西湖区 西政办函〔2021〕15号 -----------------------------------------------------------


@pytest.mark.parametrize(
    ("households", "floor_area", "bound"),
    [
        # 二(三)1 新建: 每百户不少于15平方米、最小建筑面积不少于200平方米
        (0, 200.0, "minimum"),
        (1, 200.0, "minimum"),
        (1200, 200.0, "minimum"),  # 180 m², raised to 200
        (1333, 200.0, "minimum"),  # 199.95 m², raised to 200
        (1334, 200.1, "per_100_households"),  # 200.1 m² exactly: proportional, not per started hundred
        (1335, 200.25, "per_100_households"),
        (2000, 300.0, "per_100_households"),
        (10_000, 1500.0, "per_100_households"),
    ],
)
def test_xihu_new_build_floor_area(households: int, floor_area: float, bound: str) -> None:
    req = xihu(households)
    assert req.floor_area_m2 == floor_area
    [binding] = req.binding("floor_area")
    assert binding.rule is not None
    assert binding.rule.basis == bound
    assert binding.rule.clause == "二(三)1"
    assert binding.rule.document.number == "西政办函〔2021〕15号"


def test_xihu_new_build_outdoor_and_floor_limit() -> None:
    # 二(三)1 户外活动场地不少于40平方米；一般不得安排在3楼及以上
    req = xihu(5000)
    assert req.outdoor_area_m2 == 40.0
    assert req.max_floor == 2
    [limit] = req.binding("max_floor")
    assert limit.rule is not None
    assert limit.rule.strength == "generally"  # "一般": a default an approval may override
    assert req.slots is None  # Xihu sets no slot figure: None, never 0


def test_xihu_new_build_obligations() -> None:
    # 二(三)1 相对集中配建；同步规划、同步建设、同步验收；无偿移交
    topics = {u.rule.topic for u in xihu(1200).obligations if u.rule is not None}
    assert {"centralised", "co_delivery", "free_handover"} <= topics


@pytest.mark.parametrize(
    ("households", "floor_area"),
    [
        # 二(三)1 已建成: 原则上每百户不少于10平方米、最小建筑面积不少于150平方米
        (1000, 150.0),  # 100 m² raised to 150
        (1499, 150.0),  # 149.9 m² raised to 150
        (1500, 150.0),  # 150 m²: the rate and the minimum tie
        (1501, 150.1),
        (3000, 300.0),
    ],
)
def test_xihu_existing_floor_area(households: int, floor_area: float) -> None:
    req = xihu(households, "existing")
    assert req.floor_area_m2 == floor_area
    assert req.outdoor_area_m2 == 30.0  # 户外活动场地不少于30平方米
    assert req.max_floor is None  # the floor limit closes the new-build sentence only


def test_xihu_existing_tie_marks_both_rules_binding() -> None:
    req = xihu(1500, "existing")
    assert {u.rule.basis for u in req.binding("floor_area") if u.rule} == {"per_100_households", "minimum"}
    assert all(u.rule.strength == "in_principle" for u in req.binding("floor_area") if u.rule)  # 原则上


def test_xihu_existing_deadline() -> None:
    # 二(三)1 力争在2025年之前配置到位
    [deadline] = [u for u in xihu(1000, "existing").obligations if u.rule and u.rule.topic == "deadline"]
    assert deadline.rule is not None
    assert deadline.rule.deadline is not None and deadline.rule.deadline.isoformat() == "2024-12-31"


def test_xihu_rural_has_no_figure_but_says_why() -> None:
    # 二(三)1 在农村社区综合服务设施配建中，统筹建设婴幼儿照护服务设施 (no figure)
    req = fs.size(jurisdiction="西湖区", area_type="rural", on=ON)
    assert req.floor_area_m2 is None and req.outdoor_area_m2 is None and req.slots is None
    [why] = [u for u in req.rules if u.quantity == "floor_area"]
    assert why.kind == "no_figure"
    assert why.message is not None and "西政办函〔2021〕15号 二(三)1" in why.message


# --- 余姚市 余政办发〔2020〕70号 ------------------------------------------------------------


@pytest.mark.parametrize(
    ("area_type", "population", "slots"),
    [
        # 三(一)3 新建居住区：每千人口不少于9个托位
        ("new_build", 0, 0),
        ("new_build", 1, 1),  # 0.009 slots rounds up to 1
        ("new_build", 4999, 45),  # 44.991 -> 45
        ("new_build", 5000, 45),  # exactly 45
        ("new_build", 5001, 46),  # 45.009 -> 46
        ("new_build", 10_000, 90),
        # 三(一)3 老城区和已建成居住区：每千人口不少于6个托位
        ("existing", 5000, 30),
        ("existing", 5001, 31),  # 30.006 -> 31
        ("existing", 10_000, 60),
    ],
)
def test_yuyao_slots(area_type: str, population: int, slots: int) -> None:
    req = fs.size(jurisdiction="余姚市", population=population, area_type=area_type, on=ON)
    assert req.slots == slots
    assert req.floor_area_m2 is None  # Yuyao sets no area figure
    assert req.outdoor_area_m2 is None
    assert req.max_floor is None
    [rule] = req.binding("slots")
    assert rule.rule is not None and rule.rule.citation() == "余政办发〔2020〕70号 三(一)3"


def test_yuyao_says_it_has_no_area_figure() -> None:
    req = fs.size(jurisdiction="余姚市", population=5000, area_type="new_build", on=ON)
    [why] = [u for u in req.rules if u.quantity == "floor_area"]
    assert why.kind == "no_figure" and why.message and "无建筑面积指标" in why.message


# --- 滨江区 征求意见稿 (draft) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("area_type", "population", "slots"),
    [
        ("new_build", 5000, 45),  # 二(二)1 不少于9托位/千人
        ("new_build", 5001, 46),
        ("existing", 5000, 30),  # 二(二)2 不少于6托位/千人
        ("existing", 5001, 31),
    ],
)
def test_binjiang_draft_slots(area_type: str, population: int, slots: int) -> None:
    req = fs.size(jurisdiction="滨江区", population=population, area_type=area_type, on=ON, include_drafts=True)
    assert req.slots == slots
    assert req.draft
    assert all(u.draft for u in req.rules if u.rule is not None)
    assert any("征求意见稿" in w for w in req.warnings)


def test_binjiang_refused_without_drafts() -> None:
    with pytest.raises(fs.DraftOnlyError, match="include_drafts=True"):
        fs.size(jurisdiction="滨江区", population=5000, area_type="new_build", on=ON)


# --- 苏州市 苏府办〔2020〕233号 -------------------------------------------------------------


@pytest.mark.parametrize("area_type", ["new_build", "existing"])
@pytest.mark.parametrize("where", ["苏州市", "昆山市", "姑苏区", "320500"])
def test_suzhou_sets_no_figure(where: str, area_type: str) -> None:
    # 五(三) 与常住人口规模相适应 (new-build) / 购置、置换、租赁 (existing): no number
    req = fs.size(jurisdiction=where, households=3000, population=8000, area_type=area_type, on=ON)
    assert (req.floor_area_m2, req.outdoor_area_m2, req.slots, req.max_floor) == (None, None, None, None)
    for q in ("floor_area", "outdoor_area", "slots"):
        [why] = [u for u in req.rules if u.quantity == q]
        assert why.kind == "no_figure"
        assert why.message is not None
        assert "苏府办〔2020〕233号 五(三)" in why.message
        assert "规划主管部门" in why.message  # the size is for the planning authority


# --- 柯桥区 绍柯政办发〔2024〕13号 -----------------------------------------------------------


@pytest.mark.parametrize(
    ("households", "population", "floor_area", "slots"),
    [
        # 二(一)2 新建城市居住区：每百户不少于25平方米，每千人托位数不少于10个；no minimum area
        (0, 0, 0.0, 0),
        (1, 1, 0.25, 1),
        (999, 2797, 249.75, 28),  # 27.97 -> 28
        (1000, 2800, 250.0, 28),
        (1001, 2801, 250.25, 29),  # 28.01 -> 29
        (4000, 11_200, 1000.0, 112),
    ],
)
def test_keqiao_new_build(households: int, population: int, floor_area: float, slots: int) -> None:
    req = fs.size(jurisdiction="柯桥区", households=households, population=population, area_type="new_build", on=ON)
    assert req.floor_area_m2 == floor_area
    assert req.slots == slots  # both the area and the slot rule apply
    assert req.outdoor_area_m2 is None and req.max_floor is None


@pytest.mark.parametrize(
    ("households", "population", "floor_area", "slots"),
    [
        # 二(一)2 已建城市居住区：每百户不少于15平方米，每千人托位数不少于8个
        (999, 2797, 149.85, 23),  # 22.376 -> 23
        (1000, 2800, 150.0, 23),  # 22.4 -> 23
        (1000, 2875, 150.0, 23),  # 23 exactly
        (1000, 2876, 150.0, 24),  # 23.008 -> 24
    ],
)
def test_keqiao_existing(households: int, population: int, floor_area: float, slots: int) -> None:
    req = fs.size(jurisdiction="柯桥区", households=households, population=population, area_type="existing", on=ON)
    assert req.floor_area_m2 == floor_area
    assert req.slots == slots


def test_keqiao_rural_no_figure() -> None:
    # 二(一)2 农村地区：因村制宜 (no figure)
    req = fs.size(jurisdiction="柯桥区", households=500, population=1400, area_type="农村", on=ON)
    assert (req.floor_area_m2, req.slots) == (None, None)
    [why] = [u for u in req.rules if u.quantity == "slots"]
    assert why.message is not None and "绍柯政办发〔2024〕13号 二(一)2" in why.message


def test_keqiao_land_transfer_obligation() -> None:
    # 二(一)1 在地块出让（划拨）条件书中，明确托育服务设施建设要求
    req = fs.size(jurisdiction="柯桥区", households=1000, population=2800, area_type="new_build", on=ON)
    assert "land_transfer_condition" in {u.rule.topic for u in req.obligations if u.rule}


def test_exactness_3000_households_at_2_7() -> None:
    # 3,000 × 2.7 = 8,100 people × 10/1,000 = 81 slots exactly; a float product gives 82.
    assert 3000 * 2.7 * 10 / 1000 > 81  # the float trap this guards against
    req = fs.size(jurisdiction="柯桥区", households=3000, persons_per_household=2.7, area_type="new_build", on=ON)
    assert req.slots == 81
    assert req.population == 8100.0 and req.population_derived
