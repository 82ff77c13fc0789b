"""Reading rule data: TOML files validated into the model's entities, and the rule book."""

from .book import (
    RuleBook,
    area_type_terms,
    default_rulebook,
    load_rules,
    rulebook_or_default,
)

__all__ = ["RuleBook", "area_type_terms", "default_rulebook", "load_rules", "rulebook_or_default"]
