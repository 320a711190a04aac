"""The registry says which reading of each ambiguous definition produced its numbers, and
follows the run's readings when it recounts (ADR 0013): the start page, the village
register and the household folder, in Thai and in English, never as raw codes."""

from __future__ import annotations

import html as html_mod
import re

import pytest

from cheepao.core.context import Context
from cheepao.households import services
from cheepao.households.models import Household, Problem
from cheepao.newhouseholds.tests.helpers import SUBDISTRICT, member, post_data

pytestmark = pytest.mark.django_db

CODES = (
    "any_3_of_5",
    "income_living_health",
    "any_disabled",
    "cannot_self_care",
    "twelve_months",
    "occupation_income",
    "newborn_window",
    "disabled_care",
    "tpmap_mpi_17@",
)
ANY3_TH = "ตกเกณฑ์อย่างน้อย 3 มิติ จาก 5 มิติ มิติใดก็ได้"
NAMED_TH = "ตกเกณฑ์ครบทั้ง 3 มิติ ด้านรายได้ ความเป็นอยู่ และสุขภาพ"


def _text(response) -> str:
    assert response.status_code == 200
    return " ".join(html_mod.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _read_as(registry, **choices) -> None:
    """As if the run had been computed with these readings (the manifest records them)."""
    registry.manifest = {
        **registry.manifest,
        "readings": {**registry.manifest["readings"], **choices},
    }
    registry.save(update_fields=["manifest"])


@pytest.fixture
def national(client, make_user, sign_in, registry):
    user = make_user("national")
    sign_in(client, user)
    return user


def _pages(registry) -> list[str]:
    h = Household.objects.filter(registry=registry, status="active").first()
    return ["/registry/", f"/registry/village/{h.village_code}/", f"/registry/household/{h.pk}/"]


def test_every_registry_page_names_the_readings_in_thai(client, national, registry):
    assert registry.manifest["readings"]["critical"] == "any_3_of_5"  # the run recorded it
    for url in _pages(registry):
        text = _text(client.get(url))
        assert "การตีความนิยามที่ใช้คำนวณตัวเลขชุดนี้" in text, url
        assert f"กลุ่มเป้าหมายวิกฤต {ANY3_TH}" in text, url
        assert "ผู้พิการที่ตัวชี้วัด A2 นับ สมาชิกทุกคนที่พิการ" in text, url
        assert "ถ้อยคำในคู่มือ:" in text and "ผนวก ก ข้อ 4" in text, url
        assert "ไม่ใช่การตีความตั้งต้น" not in text, url
        assert not [c for c in CODES if c in text], url
        assert "อยู่รอด" not in text  # a comparison reading, not one of a survey year


def test_the_registry_in_english(client, national, registry):
    client.cookies["django_language"] = "en"
    for url in _pages(registry):
        text = _text(client.get(url))
        assert "Definitions as read for these figures" in text, url
        assert "Critical targets Fails at least 3 of the 5 dimensions, any of them" in text, url
        assert not [c for c in CODES if c in text], url


def test_a_registry_read_another_way_says_so(client, national, registry):
    _read_as(registry, critical="income_living_health")
    text = _text(client.get("/registry/"))
    assert f"กลุ่มเป้าหมายวิกฤต {NAMED_TH} (ไม่ใช่การตีความตั้งต้น)" in text
    # the critical figure is labelled by the reading, not by a count of dimensions
    assert f"กลุ่มวิกฤต ({NAMED_TH})" in text
    assert "3 มิติขึ้นไป" not in text


def _household_failing(registry, dims: list[str]) -> Household:
    """An active household whose open problems are exactly one indicator in each of `dims`."""
    cat = registry.catalogue
    h = Household.objects.filter(registry=registry, status="active").first()
    h.problems.all().delete()
    for d in dims:
        ind = cat.indicators_of(d)[0]
        Problem.objects.create(household=h, indicator=ind.code, dimension=d)
    return h


@pytest.mark.parametrize(
    ("choice", "critical"), [("any_3_of_5", True), ("income_living_health", False)]
)
def test_recounting_a_household_follows_the_registrys_critical_reading(registry, choice, critical):
    _read_as(registry, critical=choice)
    registry.refresh_from_db()
    h = _household_failing(registry, ["health", "education", "access"])
    services.household_refresh_counts(ctx=Context.cli(), household=h)
    h.refresh_from_db()
    assert (h.n_dims, h.is_critical) == (3, critical)
    h = _household_failing(registry, ["income", "living", "health"])
    services.household_refresh_counts(ctx=Context.cli(), household=h)
    h.refresh_from_db()
    assert (h.n_dims, h.is_critical) == (3, True)


@pytest.mark.parametrize(
    ("choice", "problems"), [("any_disabled", ["A2", "L4"]), ("cannot_self_care", ["L4"])]
)
def test_form_2_is_computed_with_the_registrys_readings(
    client, make_user, sign_in, registry, choice, problems
):
    """A disabled member who can care for themselves and is not cared for: A2 by default,
    not when the registry reads ผู้พิการ as the seed's item 17 defines it."""
    _read_as(registry, disabled_care=choice)
    registry.refresh_from_db()
    sign_in(client, make_user("subdistrict", SUBDISTRICT))
    head = member(disabled="on", disabled_cared="0")
    response = client.post(
        "/new-households/new/",
        {**post_data(registry, [head], q_home_toilet="0"), "action": "save"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    household = Household.objects.get(source="field")
    assert sorted(household.problems.values_list("indicator", flat=True)) == problems
