"""``fs.check_rules``: a rule file read against the author's own copies of its documents.

The copies are read by :mod:`.documents` (.txt, .html, .docx, .pdf) and the file checked by
:func:`facility_sizing.ruledata.check.check_rule_file`; the report is a
:class:`~facility_sizing.ruledata.check.RuleCheck`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from ..ruledata.check import RuleCheck, check_rule_file
from ..ruledata.source_text import SourceText
from .documents import read_document

__all__ = ["check_rules"]

Sources = str | Path | Sequence[str | Path] | Mapping[str, str | Path] | None


def check_rules(rules: str | Path, source: Sources = None) -> RuleCheck:
    """Check a rule file against copies of the documents it quotes.

    Every ``text`` must be the document's wording (after normalising what extraction breaks), in the
    clause the rule cites; every figure must be in its quote with its unit; the words of strength
    must agree with ``strength``; a quote whose subject is a body of government is not the
    project's; each document's number, title, issuer and dates must be its own, and an effect date
    marked as stated must be stated by a sentence of it. The grade stays what the file declares.

    Parameters
    ----------
    rules : path-like
        The rule file (TOML), as for :func:`facility_sizing.load_rules`.
    source : path-like, sequence of paths, or mapping, optional
        The copy of the document (.txt, .md, .html, .docx or .pdf); for a file quoting several
        documents, a list (each matched to the document whose ``source`` has its file name, or
        whose ``id`` is its stem) or a mapping of document id to copy. A document without a copy
        is reported unchecked, and the report does not pass.

    Returns
    -------
    RuleCheck
        ``passed``, the ``findings`` (each naming the entry, the id and the key), ``text()`` and
        ``to_dict()``.

    Raises
    ------
    RuleDataError
        The rule file does not load (a missing or malformed field).
    InputError
        A copy of a kind not read, or unreadable.
    MissingDependencyError
        A .docx without the ``word`` extra, a .pdf without the ``pdf`` extra.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> from importlib import resources
    >>> xihu = resources.files("facility_sizing") / "data" / "rules" / "330106_xihu.toml"
    >>> report = fs.check_rules(xihu)  # no copy given: nothing is checked, and the file does not pass
    >>> report.passed, [(f.id, f.key) for f in report.failures]
    (False, [('xihu-2021-15', 'source')])
    """
    return check_rule_file(rules, _copies(source))


def _copies(source: Sources) -> Mapping[str, SourceText] | Sequence[SourceText]:
    if source is None:
        return []
    if isinstance(source, Mapping):
        return {doc_id: _read(path) for doc_id, path in source.items()}
    paths = [source] if isinstance(source, str | Path) else list(source)
    return [_read(p) for p in paths]


def _read(path: str | Path) -> SourceText:
    text, digest = read_document(path)
    return SourceText(text, Path(path).name, digest)
