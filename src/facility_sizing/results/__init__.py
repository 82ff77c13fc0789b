"""Result objects: plain data, rendered by :mod:`facility_sizing.render`."""

from .requirement import Requirement, RuleUse

__all__ = ["Requirement", "RuleUse"]
