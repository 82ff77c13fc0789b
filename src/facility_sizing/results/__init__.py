"""Result objects: plain data, rendered by :mod:`facility_sizing.render`."""

from .comparison import Comparison, QuantityChange, RuleRef, SentenceChange
from .requirement import Requirement, RuleUse

__all__ = ["Comparison", "QuantityChange", "Requirement", "RuleRef", "RuleUse", "SentenceChange"]
