"""The page's language and the Buddhist Era are one place (`core/thai.py`), the village label
another (`geo.selectors.village_label`), the head of household a third
(`households.selectors.household_head`): every page asks them, none keeps a copy."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.utils import translation

from cheepao.core import thai
from cheepao.geo.selectors import village_label
from cheepao.households.selectors import household_head

CHEEPAO = Path(__file__).resolve().parents[2]
# The engine, the generator and the CLI never import Django or the platform: they keep
# their own Buddhist Era constant and village names (engine/validate.py, engine/geography.py).
OUTSIDE = {"engine", "synth", "cli"}


def test_language():
    with translation.override("th"):
        assert (thai.english(), thai.language()) == (False, "th")
        assert thai.pick_language("ไทย", "Thai") == "ไทย"
    with translation.override("en"):
        assert (thai.english(), thai.language()) == (True, "en")
        assert thai.pick_language("ไทย", "Thai") == "Thai"
        assert thai.pick_language("ไทย", "") == "ไทย"  # no English text: the Thai one
    with translation.override(None):
        assert thai.language() == "th"  # a command or a task: Thai, the default


def test_buddhist_era():
    assert thai.BE_OFFSET == 543
    assert thai.gregorian_year(2568) == 2025 and thai.be_year(2025) == 2568
    assert thai.be_numeric(date(1985, 3, 1)) == "1/3/2528" and thai.be_numeric(None) == ""
    with translation.override("th"):
        assert thai.be_date(date(2026, 11, 22)) == "22 พ.ย. 2569"
    with translation.override("en"):
        assert thai.be_date(date(2026, 11, 22)) == "22 Nov 2569 BE"


def test_village_label():
    with translation.override("th"):
        assert village_label(7) == "หมู่ที่ 7"
        assert village_label("07", "ตำบลในเมือง") == "หมู่ที่ 7 ตำบลในเมือง"
        assert village_label(7, "ในเมือง", abbreviated=True) == "หมู่ที่ 7 ต.ในเมือง"
    with translation.override("en"):
        assert village_label(7) == "Village 7"
        assert village_label("07", "Nai Mueang Subdistrict") == "Village 7, Nai Mueang Subdistrict"
        assert village_label(7, "Nai Mueang", abbreviated=True) == "Village 7, Nai Mueang"


def test_household_head():
    a, b = SimpleNamespace(relation="spouse"), SimpleNamespace(relation="head")
    assert household_head([a, b]) is b
    assert household_head([a]) is a
    assert household_head([]) is None


COPIES = {
    # what a copy looks like → the one file allowed to hold it
    "the page's language": (re.compile(r"""startswith\(["']en["']\)"""), {"core/thai.py"}),
    "the Buddhist Era offset": (re.compile(r"\b543\b"), {"core/thai.py"}),
    "a village label": (
        re.compile(r"""หมู่ที่ \{|["']Village \{|Village %\("""),
        # a demo team's name is stored in Thai whatever the page's language
        {"geo/selectors.py", "accounts/management/commands/demo_accounts.py"},
    ),
    "the head of household": (
        re.compile(r"""relation == ["']head["']"""),
        {"households/selectors/register.py"},
    ),
}


@pytest.mark.parametrize("what", COPIES)
def test_no_copy_of_the_shared_helpers(what):
    pattern, allowed = COPIES[what]
    found = []
    for path in CHEEPAO.rglob("*.py"):
        rel = path.relative_to(CHEEPAO)
        if rel.parts[0] in OUTSIDE or "tests" in rel.parts or "migrations" in rel.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if pattern.search(text) and rel.as_posix() not in allowed:
            found.append(rel.as_posix())
    assert found == [], f"{what}: use the shared helper instead of {found}"
