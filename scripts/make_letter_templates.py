"""Write the built-in letter templates into the package: src/facility_sizing/data/templates/letter-*.docx.

    venv/bin/python scripts/make_letter_templates.py        # after changing the letter's styles or layout

Each is :func:`facility_sizing.render.docx.builtin_template` of its language: a GB/T 9704 letter
whose placeholders ({{文号}}, {{主送}}, {{条款}}, …) the library fills, with blanks for what the bureau
writes by hand. Its bytes are the same on every run; tests/test_docx.py checks that the files
shipped are what this writes. Each file is written atomically.
"""

from __future__ import annotations

import sys

from facility_sizing.io.write import atomic_file
from facility_sizing.render.docx import builtin_template
from facility_sizing.render.letter import builtin_template_path


def main() -> int:
    for lang in ("zh", "en"):
        target = builtin_template_path(lang)
        with atomic_file(target) as tmp:
            tmp.write_bytes(builtin_template(lang))
        print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
