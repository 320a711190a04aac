"""The plan's pages: the mentor's plan page (a phone, in steps), the plan as the
subdistrict team reviews it, and the area's development plan (roll-up) with its XLSX and
PDF. Every write goes through `services`; every page that shows a household records its
read (audit_read)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_http_methods, require_safe

from cheepao.audit import summaries
from cheepao.audit.services import audit_read
from cheepao.audit.summaries import say
from cheepao.core import access
from cheepao.core.errors import Conflict, Invalid, Refused
from cheepao.core.thai import english
from cheepao.core.web import ctx as web_ctx
from cheepao.geo.selectors import area_get, area_label, village_label
from cheepao.households.models import Household
from cheepao.households.selectors import area_in_scope
from cheepao.plans import agencies, exports, selectors, services
from cheepao.plans import errors as codes
from cheepao.plans.models import Plan, PlanItem, Stage
from cheepao.plans.stages import DIMENSION_NAMES
from cheepao.plans.workflow import workflow

STEPS = ("goal", "analysis", "resources", "items", "send")
PLAN_FIELDS = {
    "goal": ("goal", "target_stage"),
    "analysis": ("attitude", "skills"),
    "resources": ("land", "tools", "funds", "way_out"),
}


def _step_of(request: HttpRequest) -> str:
    step = request.GET.get("step") or request.POST.get("page_step") or "goal"
    return step if step in STEPS else "goal"


@login_required
@require_http_methods(["GET", "POST"])
def household_plan(request: HttpRequest, household_id: int) -> HttpResponse:
    """The mentor's page of one household's plan: the goal, the 4ท analysis and the items,
    one short step at a time, then send. Only the household's mentors reach it (`care`)."""
    household = access.one(request.user, Household, "care", household_id)
    step = _step_of(request)
    plan = selectors.current_plan(household)
    errors: dict[str, str] = {}
    posted: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            done = _act(request, household, plan, action)
        except Invalid as exc:
            messages.error(request, exc.message)
            errors, posted = exc.field_messages(), request.POST.dict()
        except (Refused, Conflict) as exc:
            messages.error(request, exc.message)
        else:
            if done:
                messages.success(request, done)
            url = reverse("plans:household", args=[household.pk])
            return redirect(f"{url}?step={step}")
        plan = selectors.current_plan(household)
    else:
        audit_read(
            ctx=web_ctx(request),
            obj=household,
            summary=say(gettext_noop("household plan opened")),
        )
    cat = household.registry.catalogue
    failing = selectors.failing_indicators(household)
    dimensions = [
        {
            "dimension": d,
            "indicators": [
                {
                    "code": i.code,
                    "text": i.en if english() else i.short_th,
                    "failing": i.code in failing,
                }
                for i in cat.indicators_of(d.code)
            ],
            "items": [i for i in plan.items.all() if i.dimension == d.code] if plan else [],
            "failing": any(i.code in failing for i in cat.indicators_of(d.code)),
        }
        for d in cat.dimensions
    ]
    done, total = plan.progress if plan else (0, 0)
    return render(
        request,
        "plans/household.html",
        {
            "household": household,
            "plan": plan,
            "step": step,
            "steps": STEPS,
            "editable": plan is not None and plan.is_current and plan.status == "draft",
            "toggles": plan is not None and plan.status in ("draft", "approved"),
            "workflow_steps": selectors.steps_for(request.user, plan, caring=True) if plan else [],
            "dimensions": dimensions,
            "help_kinds": PlanItem.Help.choices,
            "stages": Stage.choices,
            "agencies": agencies.choices(cat),
            "done": done,
            "total": total,
            "errors": errors,
            "posted": posted,
            "stage": selectors.latest_stage(household),
        },
    )


def _act(request: HttpRequest, household: Household, plan: Plan | None, action: str) -> str:
    ctx = web_ctx(request)
    data = request.POST
    if action == "start":
        services.plan_start(ctx=ctx, household_id=household.pk)
        return ""
    if plan is None:
        raise Refused(codes.NOT_CURRENT)
    version = data.get("version", "")
    if action == "save":
        names = PLAN_FIELDS.get(data.get("page_step", ""), ())
        services.plan_save(
            ctx=ctx,
            plan_id=plan.pk,
            version=version,
            data={n: data.get(n, "") for n in names},
        )
        return ""
    if action == "item_add":
        item = {
            k: data.get(k, "")
            for k in ("dimension", "indicator", "own_action", "support", "help_kind", "due")
        }
        if data.get("agency", "default") != "default":
            item["agency"] = data.get("agency", "")
        services.item_add(ctx=ctx, plan_id=plan.pk, version=version, data=item)
        return ""
    if action == "item_remove":
        services.item_remove(
            ctx=ctx, plan_id=plan.pk, version=version, item_id=data.get("item", "")
        )
        return ""
    if action == "item_status":
        services.item_status_set(
            ctx=ctx,
            plan_id=plan.pk,
            version=version,
            item_id=data.get("item", ""),
            status=data.get("status", ""),
        )
        return ""
    services.plan_step(
        ctx=ctx, plan_id=plan.pk, step=action, version=version, comment=data.get("comment", "")
    )
    return plan_step_done(plan, action)


def plan_step_done(plan: Plan, action: str) -> str:
    return workflow(plan.workflow_version).steps[action].done_message


@login_required
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    """A plan as the area reads it; the subdistrict team returns or approves it here and
    confirms the household's stage the catalogue proposes, with its evidence."""
    found = access.one(
        request.user,
        Plan,
        "view",
        plan_id,
        # The items once for the page (progress, the stage's facts, the groups).
        queryset=Plan.objects.select_related("household__registry", "reviewed_by").prefetch_related(
            Prefetch("items", queryset=PlanItem.objects.order_by("position", "pk"))
        ),
    )
    household = found.household
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "confirm_stage":
                services.stage_confirm(
                    ctx=web_ctx(request), plan_id=found.pk, stage=request.POST.get("stage", "")
                )
                done = gettext("The stage was confirmed.")
            else:
                services.plan_step(
                    ctx=web_ctx(request),
                    plan_id=found.pk,
                    step=action,
                    version=request.POST.get("version", ""),
                    comment=request.POST.get("comment", ""),
                )
                done = plan_step_done(found, action)
        except KeyError:
            raise Http404("no such step") from None
        except (Invalid, Refused, Conflict) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done)
            return redirect(reverse("plans:plan", args=[found.pk]))
        found.refresh_from_db()
    else:
        audit_read(
            ctx=web_ctx(request),
            obj=household,
            summary=say(gettext_noop("household plan no. %(number)s read"), number=found.number),
        )
    caring = access.policy(Household).allows(request.user, "care", household)
    reviews = access.policy(Plan).allows(request.user, "review", found)
    proposal = services.stage_propose(found) if reviews or caring else None
    cat = household.registry.catalogue
    done, total = found.progress
    return render(
        request,
        "plans/plan.html",
        {
            "plan": found,
            "household": household,
            "groups": selectors.group_items(found, cat),
            "versions": selectors.plans_of(household),
            "workflow_steps": selectors.steps_for(request.user, found, caring=False),
            "caring": caring,
            "reviews": reviews and found.is_current,
            "proposal": proposal,
            "stage": selectors.latest_stage(household),
            "done": done,
            "total": total,
        },
    )


def _area(request: HttpRequest, code: str) -> str:
    if len(code) not in (6, 8) or not area_in_scope(request.user, code):
        raise Http404("no such area")
    return code


@login_required
@require_safe
def area(request: HttpRequest, code: str) -> HttpResponse:
    """The development plan of a village or a subdistrict: what its households' plans
    need, by dimension, kind of help and agency (counts), and the plans waiting for the
    subdistrict team's review."""
    code = _area(request, code)
    registry_dims = _dimensions()
    roll = selectors.rollup(code, dimensions=[d for d, _ in registry_dims])
    waiting = list(selectors.waiting_for_review(request.user, code))
    if waiting:
        audit_read(
            ctx=web_ctx(request),
            object_type="plans.area",
            object_id=code,
            area_code=code,
            summary=say(
                gettext_noop("plans waiting for review in %(area)s"), area=summaries.area(code)
            ),
            objects=[p.household for p in waiting],
        )
    return render(
        request,
        "plans/area.html",
        {
            "code": code,
            "name": area_label(code),
            "roll": roll,
            "waiting": waiting,
            "dimension_lines": [
                (dict(registry_dims).get(n.key, n.key), n) for n in roll.by_dimension
            ],
            "help_lines": [(PlanItem.Help(n.key).label, n) for n in roll.by_help],
            "agency_lines": [(n.key or gettext("the mentor"), n) for n in roll.by_agency],
            "village_lines": _village_lines(code, roll.by_village),
            "counts": selectors.plan_counts(code),
        },
    )


def _village_lines(code: str, needs: list) -> list[tuple[str, Any]]:
    """The by-village lines of a subdistrict's roll-up, each village named after its
    subdistrict (`code`), looked up once for the page rather than once per village."""
    parent = area_get(code)
    if parent is None:
        return [(area_label(n.key), n) for n in needs]
    return [(village_label(n.key[6:], parent.full_name), n) for n in needs]


def _dimensions() -> list[tuple[str, str]]:
    return [(k, v[1] if english() else v[0]) for k, v in DIMENSION_NAMES.items()]


def _export(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    code = _area(request, code)
    roll = selectors.rollup(code, dimensions=[d for d, _ in _dimensions()])
    name = area_label(code)
    if kind == "xlsx":
        data = exports.rollup_xlsx(roll, name=name, user=request.user)
        content_type = exports.XLSX
    else:
        data = exports.rollup_pdf(roll, name=name, user=request.user, request=request)
        content_type = "application/pdf"
    audit_read(
        ctx=web_ctx(request),
        what="export",
        object_type="plans.area",
        object_id=code,
        area_code=code,
        summary=say(
            gettext_noop("development plan of %(area)s (%(n)s households), %(kind)s"),
            area=summaries.area(code),
            n=roll.households,
            kind=kind.upper(),
        ),
    )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="cheepao_plan_{code}.{kind}"'
    return response


@login_required
@require_safe
def area_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    return _export(request, code, "xlsx")


@login_required
@require_safe
def area_pdf(request: HttpRequest, code: str) -> HttpResponse:
    return _export(request, code, "pdf")
