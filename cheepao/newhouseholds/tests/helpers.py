"""Hand-built ศจพ.2 answers for the tests: a household that passes everything unless told."""

from __future__ import annotations

import itertools
from typing import Any

from stdnum.th import pin as th_pin

from cheepao.newhouseholds import assessment

_serial = itertools.count(1)
SUBDISTRICT = "340101"


def new_pin() -> str:
    """A valid PIN no synthetic survey person has (those start with 1 or 3 and the province)."""
    body = f"2{next(_serial):011d}"
    return body + th_pin.calc_check_digit(body)


def bad_check_digit(pin: str) -> str:
    return pin[:12] + str((int(pin[12]) + 1) % 10)


def member(**fields: Any) -> dict[str, Any]:
    """The head: 45, working, literate, exercising, earning well."""
    row = {
        "title": "นาย",
        "first_name": "สมชาย",
        "last_name": "ใจดี",
        "pin": new_pin(),
        "relation": "head",
        "sex": "M",
        "birth_date": "15/6/2523",
        "student_status": "none",
        "occupation": "ทำนา",
        "income_year": "200000",
        "exercise": "1",
        "literacy": "1",
    }
    row.update(fields)
    return {k: v for k, v in row.items() if v is not None}


def child(**fields: Any) -> dict[str, Any]:
    """A 10-year-old at school (born 2557 BE, ten on 1 March 2568 BE)."""
    row = member(
        title="เด็กชาย",
        first_name="ต้นกล้า",
        relation="child",
        birth_date="2/1/2558",
        occupation="",
        income_year="0",
        literacy=None,
        compulsory_schooling="1",
    )
    row.pop("literacy", None)
    row.update(fields)
    return {k: v for k, v in row.items() if v is not None}


def post_data(registry: Any, members: list[dict[str, Any]], **household: Any) -> dict[str, str]:
    data: dict[str, Any] = {
        "subdistrict_code": SUBDISTRICT,
        "village_no": "3",
        "house_no": f"{next(_serial)}/9",
        "land_tenure": "own",
        "religion": "buddhism",
        "phone": "081-234-5678",
        "m-TOTAL_FORMS": str(len(members)),
        "m-INITIAL_FORMS": "0",
        "m-MIN_NUM_FORMS": "1",
        "m-MAX_NUM_FORMS": "30",
    }
    for col in assessment.household_answer_columns(registry.catalogue):
        data[f"q_{col}"] = "1"
    for i, m in enumerate(members):
        for k, v in m.items():
            data[f"m-{i}-{k}"] = v
    data.update(household)
    return {k: v for k, v in data.items() if v is not None}


def service_data(registry: Any, user: Any, members: list[dict[str, Any]], **household: Any):
    """The answers as the service takes them (`forms.household_data`), read from the same
    POST the page would send, through the page's own forms."""
    from cheepao.newhouseholds import selectors
    from cheepao.newhouseholds.forms import HouseholdForm, household_data, member_formset

    post = post_data(registry, members, **household)
    form = HouseholdForm(post, registry=registry, subdistricts=selectors.subdistricts_for(user))
    formset = member_formset(assessment.rules())(post, prefix="m", catalogue=registry.catalogue)
    assert form.is_valid(), form.errors
    assert formset.is_valid(), formset.errors
    return household_data(form, formset)
