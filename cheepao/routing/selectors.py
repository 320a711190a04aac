"""Reads of routing for its pages (through the access policies, never a hand filter on
another app's tables)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cheepao.core import access
from cheepao.logbook.models import Entry
from cheepao.routing.models import Case, Consent, Referral
from cheepao.routing.policies import inbox

OPEN = Referral.OPEN_STATES
TABS = ("pending", "accepted", "overdue", "done")


def overdue_q(today: Any = None) -> Q:
    """A referral still pending or accepted after its follow-up date."""
    today = today or timezone.localdate()
    return Q(state__in=OPEN, follow_up_on__lt=today)


def overdue(qs: QuerySet | None = None) -> QuerySet:
    qs = Referral.objects.all() if qs is None else qs
    return qs.filter(overdue_q())


def is_overdue(referral: Referral) -> bool:
    return referral.state in OPEN and referral.follow_up_on < timezone.localdate()


def inbox_counts(user: Any) -> dict[str, int]:
    qs = inbox(user)
    found = qs.aggregate(
        pending=Count("pk", filter=Q(state=Referral.State.PENDING)),
        accepted=Count("pk", filter=Q(state=Referral.State.ACCEPTED)),
        overdue=Count("pk", filter=overdue_q()),
        done=Count("pk", filter=Q(state=Referral.State.DONE)),
    )
    return {tab: found[tab] or 0 for tab in TABS}


def inbox_tab(user: Any, tab: str) -> QuerySet:
    qs = access.scope(user, Referral, "view").select_related("case", "case__household", "agency")
    if tab == "overdue":
        qs = qs.filter(overdue_q()).order_by("follow_up_on", "pk")
    elif tab == "accepted":
        qs = qs.filter(state=Referral.State.ACCEPTED).order_by("follow_up_on", "pk")
    elif tab == "done":
        qs = qs.filter(state=Referral.State.DONE).order_by("-done_at", "-pk")
    else:
        qs = qs.filter(state=Referral.State.PENDING).order_by("sent_at", "pk")
    return qs


def household_cases(household: Any) -> QuerySet:
    return (
        Case.objects.filter(household=household)
        .select_related("owner")
        .prefetch_related("referrals__agency")
        .order_by("state", "-opened_at", "-pk")
    )


def household_consents(household: Any) -> QuerySet:
    return Consent.objects.filter(household=household).select_related("body")


def case_referrals(case: Case) -> list[Referral]:
    rows = list(case.referrals.select_related("agency", "sent_by").order_by("-sent_at", "-pk"))
    for r in rows:
        r.overdue = is_overdue(r)
    return rows


def help_entries(household: Any, agency: Any = None) -> QuerySet:
    """The household's help entries that count (of one agency office when given), newest
    first: what a case may be solved or a referral done on."""
    qs = Entry.objects.counting().filter(household=household, part=Entry.Part.HELP)
    if agency is not None:
        qs = qs.filter(agency=agency)
    return qs.order_by("-occurred_on", "-pk")


def evidence_entries(household: Any, dimension: str) -> QuerySet:
    return (
        Entry.objects.counting()
        .filter(household=household)
        .filter(Q(part=Entry.Part.HELP, dimension=dimension) | Q(part=Entry.Part.VISIT))
        .order_by("-occurred_on", "-pk")
    )


def area_cases(user: Any) -> QuerySet:
    """The open cases of the district's area (route)."""
    return (
        access.scope(user, Case, "route")
        .filter(state=Case.State.OPEN)
        .select_related("owner", "household")
    )


def area_summary(user: Any) -> dict[str, Any]:
    cases = area_cases(user)
    by_owner = list(
        cases.filter(owner__isnull=False)
        .values("owner_id", "owner__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "owner__name")
    )
    return {
        "by_owner": by_owner,
        "no_owner": cases.filter(owner__isnull=True).order_by("opened_at", "pk"),
        "overdue": overdue(Referral.objects.filter(case__in=cases.values("pk")))
        .select_related("case", "case__household", "agency")
        .order_by("follow_up_on", "pk"),
        "total": cases.count(),
    }
