"""Build triggers, declared once: when a facility must be complete, by the housing's progress.

Some documents tie the facility to how far the housing of its residential area has got: Guangzhou's
2025 指引 has a stand-alone facility 「在住宅总规模完成50%之前同步建设完成」 and one inside another
building before 80 %. A rule that sets such a point is an obligation (``quantity = "obligation"``)
of topic :data:`TRIGGER_TOPIC` with the measure it is set on (``trigger``), its ``value`` and
``unit``; each measure is one :class:`TriggerSpec` row of :data:`TRIGGERS`, so a city that sets
one is one rule row in its file::

    [[rules]]
    id = "guangzhou.new_build.build_trigger.standalone"
    quantity = "obligation"
    topic = "build_trigger"
    trigger = "housing_completed_share"
    value = 50
    unit = "%"

A trigger is not a size: it never enters the numeric core, and no result column is added for
places that set none. The documents that speak only of 同步 (Keqiao 「同步规划、建设、验收、交付」,
Xihu 「与住宅同步规划、同步建设、同步验收」) set no share: their obligation (topic ``co_delivery``)
is carried as quoted, never turned into a percentage.

Examples
--------
>>> TRIGGERS["housing_completed_share"].unit, TRIGGERS["housing_completed_share"].most
('%', 100)
>>> TRIGGERS["housing_completed_share"].label.zh
'住宅总规模完成比例'
"""

from __future__ import annotations

from dataclasses import dataclass

from .vocabulary import Label

__all__ = ["AREA_WIDE_TOPICS", "TRIGGERS", "TRIGGER_TOPIC", "TriggerSpec"]

#: The obligation topic of a build trigger.
TRIGGER_TOPIC = "build_trigger"

#: Obligation topics that tie the facility to the housing of the whole residential area, and so
#: bind every parcel of an area, not only the one that hosts the facility: 「与住宅同步规划、同步建设、
#: 同步验收」 (Xihu 二(三)1), 「同步规划、建设、验收、交付」 (Keqiao 二(一)2), a build trigger. The
#: housing the documents name is the area's (「新建居住区」), of which each parcel's housing is a part.
AREA_WIDE_TOPICS: tuple[str, ...] = ("co_delivery", TRIGGER_TOPIC)


@dataclass(frozen=True)
class TriggerSpec:
    """One measure a build trigger is set on.

    Attributes
    ----------
    key : str
        The code in rule files (``trigger = "housing_completed_share"``).
    label : Label
        What is measured.
    unit : str
        The one unit a value must be written in.
    most : int
        The largest value a rule may set (a share of 120 % is a typing slip).
    column : Label
        How a result states the trigger, ``{v}`` being the value as written.
    """

    key: str
    label: Label
    unit: str
    most: int
    column: Label


TRIGGERS: dict[str, TriggerSpec] = {
    t.key: t
    for t in (
        TriggerSpec(
            key="housing_completed_share",
            label=Label("住宅总规模完成比例", "share of the housing completed"),
            unit="%",
            most=100,
            column=Label("住宅总规模完成{v}%之前建成", "complete before {v} % of the housing is complete"),
        ),
    )
}
