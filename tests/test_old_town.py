"""老城区 means "existing" only where the document uses the word (issue 12).

Yuyao's 余政办发〔2021〕57号 and Suzhou's document write 「老城区和已建成居住区」; Keqiao's
绍柯政办发〔2024〕13号 writes 「已建城市居住区」 and Xihu's 西政办函〔2021〕15号 「已建成居住区」. A Keqiao new
build typed 老城区 was sized as existing: 15 m² per 100 households and 8 slots per 1,000 instead of
25 m² and 10 (二(一)2) — understated.
"""

from __future__ import annotations

import pandas as pd
import pytest

import facility_sizing as fs

ON = "2025-01-01"


@pytest.mark.parametrize("jurisdiction", ["柯桥区", "西湖区"])
def test_old_town_is_an_error_where_the_document_does_not_use_the_word(jurisdiction: str) -> None:
    with pytest.raises(fs.AreaTypeError, match="未使用“老城区”一词") as info:
        fs.size(jurisdiction=jurisdiction, area_type="老城区", households=1000, population=2700, on=ON)
    assert "give area_type as new_build or existing" in str(info.value)


def test_keqiao_names_its_own_term_for_existing_areas() -> None:
    with pytest.raises(fs.AreaTypeError, match="其已建成居住区的用语为“已建城市居住区”"):
        fs.size(jurisdiction="柯桥区", area_type="老城区", households=1000, on=ON)


def test_yuyao_and_suzhou_use_the_word_so_it_means_existing() -> None:
    # 余姚: 「在老城区和已建成居住区……按每千人口不少于6个托位」: 2,700 × 6 / 1,000 = 16.2 → 17
    req = fs.size(jurisdiction="余姚市", area_type="老城区", population=2700, on=ON)
    assert (req.area_type, req.slots) == ("existing", 17)
    assert req.area_term == "老城区和已建成居住区"
    assert (
        fs.size(jurisdiction="苏州市", area_type="老城区和已建成居住区", households=100, on=ON).area_type == "existing"
    )


def test_the_other_existing_spellings_still_work_everywhere() -> None:
    # Keqiao existing: 15 m² per 100 households (二(一)2) → 150 m²
    assert (
        fs.size(jurisdiction="柯桥区", area_type="已建成", households=1000, population=2700, on=ON).floor_area_m2
        == 150.0
    )


def test_a_batch_row_gets_the_error_and_the_others_are_sized() -> None:
    df = pd.DataFrame({"jurisdiction": ["柯桥区", "余姚市", "柯桥区"], "area_type": ["老城区", "老城区", "新建"]})
    out = fs.size_frame(df, households=1000, persons_per_household=2.7, on=ON)
    assert out.loc[0, "error"].startswith("[area_type]") and pd.isna(out.loc[0, "slots"])
    assert out.loc[1, "slots"] == 17 and out.loc[2, "slots"] == 27


def test_rules_in_force_applies_the_same_check() -> None:
    with pytest.raises(fs.AreaTypeError):
        fs.rules_in_force("柯桥区", area_type="老城区", on=ON)
    assert len(fs.rules_in_force("余姚市", area_type="老城区", on=ON)) > 0
