"""Feature apps add to the registry's pages by registering (households/extensions.py), never
by being imported: a section, a button, a filter or a column registered from outside the
registry appears on its pages, in its order, only where its context says so."""

from __future__ import annotations

import copy
import re

import pytest
from django import forms
from django.db.models import Count, Q
from django.urls import reverse

from cheepao.audit.models import AuditEvent
from cheepao.households import extensions
from cheepao.households.models import Household

pytestmark = pytest.mark.django_db


@pytest.fixture
def village(registry) -> str:
    """A village of two households or more: the one with the most (ties: the lowest code),
    34011611 and its two target households in the tiny registry."""
    row = (
        Household.objects.values("village_code")
        .annotate(n=Count("pk"))
        .order_by("-n", "village_code")
        .first()
    )
    assert row["n"] >= 2
    return row["village_code"]


@pytest.fixture
def templates(settings, tmp_path):
    """A template directory of a feature app that the registry has never heard of."""
    engines = copy.deepcopy(settings.TEMPLATES)
    engines[0]["DIRS"] = [*engines[0]["DIRS"], tmp_path]
    settings.TEMPLATES = engines
    (tmp_path / "plans").mkdir()

    def write(name: str, text: str) -> str:
        (tmp_path / "plans" / name).write_text(text, encoding="utf-8")
        return f"plans/{name}"

    return write


@pytest.fixture
def cleanup():
    added: list[tuple[extensions.Registry, str]] = []
    yield added
    for registry, key in added:
        registry.remove(key)


@pytest.fixture
def team(client, make_user, sign_in, registry, village):
    user = make_user("subdistrict", village[:6])
    sign_in(client, user)
    return user


def _folder(client, household) -> str:
    return client.get(reverse("households:folder", args=[household.pk])).content.decode()


def test_the_feature_apps_register_their_places(registry):
    keys = {e.key for e in extensions.folder_sections.all()}
    assert {"verification.fact", "verification.action", "imports.lists"} <= keys
    assert "newhouseholds.form2" in keys
    assert [a.key for a in extensions.area_actions.all()][:2] == [
        "verification.area",
        "newhouseholds.new",
    ]
    assert [f.key for f in extensions.register_filters.all()][:2] == [
        "verification",
        "household_type",
    ]
    assert "verification" in extensions.register_columns
    assert extensions.map_pin_kind.provider.key == "folders.household_type"


def test_a_registered_folder_section_appears_where_and_when_its_context_says(
    client, team, village, templates, cleanup
):
    households = list(Household.objects.filter(village_code=village).order_by("pk")[:2])
    shown_for = households[0].pk
    main = templates("plan.html", '<section id="plan">แผน {{ section.number }}</section>\n')
    fact = templates("fact.html", '<div id="plan-fact"><dt>แผน</dt><dd>มี</dd></div>\n')
    button = templates("button.html", '<p id="plan-button">ทำแผน</p>\n')
    first = templates("first.html", '<section id="first">ก่อน</section>\n')
    for key, place, template, order in (
        ("plans.main", "main", main, 50),
        ("plans.fact", "facts", fact, 50),
        ("plans.button", "actions", button, 50),
        ("plans.first", "main", first, 1),
    ):
        extensions.folder_sections.register(
            key,
            order=order,
            place=place,
            template=template,
            context=lambda h, u: {"number": h.pk} if h.pk == shown_for else None,
        )
        cleanup.append((extensions.folder_sections, key))

    html = _folder(client, households[0])
    assert f'<section id="plan">แผน {shown_for}</section>' in html
    facts = html.split('class="hh-facts"')[1].split("</dl>")[0]
    assert '<div id="plan-fact">' in facts
    assert html.index('<p id="plan-button">') < html.index('class="muted hh-pdpa"')
    assert html.index('class="muted hh-pdpa"') < html.index('id="first"') < html.index('id="plan"')

    # Nothing to show for this household: the section is left out.
    other = _folder(client, households[1])
    for marker in ('id="plan"', 'id="plan-fact"', 'id="plan-button"', 'id="first"'):
        assert marker not in other


def test_a_section_must_name_a_place_of_the_folder():
    with pytest.raises(ValueError):
        extensions.folder_sections.register(
            "plans.nowhere", order=1, place="footer", template="x.html", context=lambda h, u: {}
        )
    assert "plans.nowhere" not in extensions.folder_sections


def test_a_registered_filter_column_and_action_work_on_the_register(
    client, team, village, templates, cleanup
):
    cell = templates("cell.html", "{% if value %}มีแผน{% else %}–{% endif %}")
    action = templates(
        "action.html", '<a class="button" id="plan-area">แผน {{ action.code }}</a>\n'
    )
    households = list(Household.objects.filter(village_code=village).order_by("pk"))
    planned = households[0]
    extensions.register_filters.register(
        "planned",
        order=99,
        field=lambda: forms.ChoiceField(
            label="มีแผน", required=False, choices=[("", "ทั้งหมด"), ("yes", "มี")]
        ),
        q=lambda value: Q(pk=planned.pk) if value == "yes" else Q(pk__in=[]),
    )
    extensions.register_columns.register(
        "planned",
        order=99,
        heading="แผน",
        template=cell,
        cells=lambda page: {h.pk: h.pk == planned.pk for h in page},
    )
    extensions.area_actions.register(
        "planned", order=99, template=action, context=lambda user, code: {"code": code}
    )
    cleanup.extend(
        [
            (extensions.register_filters, "planned"),
            (extensions.register_columns, "planned"),
            (extensions.area_actions, "planned"),
        ]
    )

    url = reverse("households:village", args=[village])
    html = client.get(url).content.decode()
    assert f'<a class="button" id="plan-area">แผน {village}</a>' in html
    assert '<select name="planned"' in html and '<th scope="col">แผน</th>' in html
    rows = re.findall(r"<tr>(.*?)</tr>", html.split("<tbody>")[1], re.S)
    assert len(rows) == len(households)
    assert sum("มีแผน" in r for r in rows) == 1

    mark = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    response = client.get(url, {"planned": "yes"})
    assert [r.household.pk for r in response.context["register"].rows] == [planned.pk]
    read = AuditEvent.objects.filter(pk__gt=mark, action="view").get()
    assert read.changes["filters"] == {"planned": "yes"}
    # A value the field refuses is dropped (the form shows its error), never applied.
    response = client.get(url, {"planned": "maybe"})
    assert len(response.context["register"].rows) == len(households)
