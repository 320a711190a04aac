"""The statistics policy beyond the platform sweep: an agency account reads its own
office's lines inside its area, and nothing else."""

from __future__ import annotations

import pytest

from cheepao.accounts.models import Body
from cheepao.core import access, errors
from cheepao.helpstats.models import MonthFigures

pytestmark = pytest.mark.django_db


def test_an_agency_reads_its_own_office_lines_in_its_area(make_user):
    office = Body.objects.create(name="สาธารณสุข", kind=Body.Kind.AGENCY, area_code="3401")
    other = Body.objects.create(name="เกษตร", kind=Body.Kind.AGENCY, area_code="3401")

    def line(code, body):
        return MonthFigures.objects.create(
            month="2025-11-01",
            level={2: "province", 4: "district", 8: "village"}[len(code)],
            area_code=code,
            body=body,
            computed_at="2025-12-01T00:00:00+07:00",
        )

    own, own_village = line("3401", office), line("34010101", office)
    area, others, above = line("3401", None), line("3401", other), line("34", office)
    user = make_user("agency", "3401", body=office)
    assert set(access.scope(user, MonthFigures, "view")) == {own, own_village}
    for obj in (area, others, above):
        with pytest.raises(errors.NotFound):
            access.one(user, MonthFigures, "view", obj.pk)
    assert list(access.actors(own, "view").filter(role="agency")) == [user]
    assert not access.actors(area, "view").filter(pk=user.pk).exists()
    assert not access.scope(user, MonthFigures, "compute").exists()
    assert not access.scope(make_user("agency", "3401"), MonthFigures, "view").exists()
