"""`audit_read`: the one call that records a read of personal data."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext_noop

from cheepao.accounts.roles import Role
from cheepao.audit.models import AuditEvent
from cheepao.audit.services import audit_read
from cheepao.audit.summaries import say
from cheepao.core.context import Channel, Context


@pytest.mark.django_db
def test_a_list_read_records_the_households_page_filters_and_channel(make_user):
    user = make_user(Role.DISTRICT, "1001")
    ctx = Context(actor=user, channel=Channel.API, address="10.0.0.7")
    audit_read(
        ctx=ctx,
        object_type="households.village",
        object_id="10010101",
        area_code="10010101",
        summary=say(gettext_noop("household folder %(hh_id)s"), hh_id="x"),
        objects=[(3, "H-3"), (5, "H-5")],
        page=2,
        filters={"dims": ["health"]},
    )
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.channel, event.ip) == ("view", user, "api", "10.0.0.7")
    assert (event.object_type, event.object_id, event.area_code) == (
        "households.village",
        "10010101",
        "10010101",
    )
    assert event.changes == {
        "households": [3, 5],
        "hh_ids": ["H-3", "H-5"],
        "page": 2,
        "filters": {"dims": ["health"]},
    }


@pytest.mark.django_db
def test_only_reads_are_recorded_as_reads(make_user):
    ctx = Context.cli(make_user(Role.NATIONAL))
    with pytest.raises(ValueError):
        audit_read(ctx=ctx, what="update", summary=say(gettext_noop("search: %(terms)s"), terms=[]))
    assert not AuditEvent.objects.exists()
