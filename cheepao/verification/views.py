"""Pages of verification (form ศจพ.1) and certification, phone first.

Households are reached only through `household_for`, batches through their access policy
(`access.one(user, Batch, "view", id)`) and areas through `area_for`: anything outside the account's area is the same 404 as anything that
does not exist. Writes go through the services, which refuse with a message and change
nothing when the account may not act.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_safe

from cheepao.accounts import roles
from cheepao.audit import summaries
from cheepao.audit.services import audit_read
from cheepao.audit.summaries import say
from cheepao.core import access
from cheepao.core.errors import Conflict, Invalid, Refused
from cheepao.core.web import ctx as web_ctx
from cheepao.households.selectors import household_for
from cheepao.verification import selectors, services
from cheepao.verification.forms import BatchStepForm, VerificationForm, initial_for
from cheepao.verification.models import Batch, Verification
from cheepao.verification.workflow import workflow


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def verification_form(request: HttpRequest, household_id: int) -> HttpResponse:
    household = household_for(request.user, household_id)
    verification = Verification.objects.filter(household=household).first()
    try:
        services.verification_allowed(request.user, household)
        editable = True
    except Refused as exc:
        editable = False
        if request.method == "POST":
            messages.error(request, exc.message)
    problems = selectors.form_problems(household, verification)
    addable = selectors.addable_by_dimension(household)
    form_kwargs = {"problems": problems, "addable": addable}
    if request.method == "POST" and editable:
        form = VerificationForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                services.verification_save(
                    ctx=web_ctx(request),
                    household=household,
                    data=form.service_data(),
                    uid=form.cleaned_data["uid"],
                    version=form.cleaned_data["version"],
                )
            except (Refused, Invalid) as exc:
                form.add_service_errors(exc)
            except Conflict as conflict:
                # Someone saved it meanwhile: the answers typed stay on the page, which now
                # carries the saved version, so saving again replaces it knowingly.
                verification = Verification.objects.filter(household=household).first()
                form = VerificationForm(_as_of(request.POST, verification), **form_kwargs)
                form.is_valid()
                form.add_error(None, conflict.message)
            else:
                messages.success(request, _("Verification saved."))
                return redirect("verification:form", household_id=household.pk)
    else:
        form = VerificationForm(initial=initial_for(household, verification), **form_kwargs)
    if request.method != "POST":
        audit_read(
            ctx=web_ctx(request), obj=household, summary=say(gettext_noop("ศจพ.1 form opened"))
        )
    income, members = _typed_income(form)
    income_rules = selectors.income_rule_rows(household, income, members)
    # Errors come back with 200: the boosted (htmx) form swaps only successful responses.
    return render(
        request,
        "verification/form.html",
        {
            "household": household,
            "head": selectors.head_of(household),
            "verification": verification,
            "form": form,
            "editable": editable,
            "area_label": selectors.area_label(household.village_code),
            "mark_lines": selectors.mark_lines(verification) if verification else [],
            "sent": selectors.household_locked(household)
            or (verification is not None and verification.state not in workflow().editable_states),
            "income_rules": income_rules,
            "income_codes": [r.rule.code for r in income_rules],
        },
    )


def _as_of(posted, verification: Verification | None):
    """The posted answers, as if read from the form as it is saved now."""
    data = posted.copy()
    data["version"] = str(verification.version if verification else 0)
    data["uid"] = str(verification.uid) if verification else data.get("uid", "")
    return data


def _typed_income(form: VerificationForm) -> tuple[Decimal | None, int | None]:
    """The income and the number of people as the form holds them now (typed, or the
    recorded or surveyed figures it starts with), for the income rule's message."""
    income = services.parse_baht(form["income_year"].value())
    try:
        members = int(form["members_now"].value())
    except (TypeError, ValueError):
        return income, None
    return income, members if 1 <= members <= 99 else None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def area(request: HttpRequest, code: str) -> HttpResponse:
    code = selectors.area_for(request.user, code)
    if request.method == "POST":
        try:
            batch = services.batch_submit(
                ctx=web_ctx(request), area_code=code, comment=request.POST.get("comment", "")
            )
        except (Refused, Invalid, Conflict) as exc:
            messages.error(request, exc.message)
            return redirect("verification:area", code=code)
        messages.success(request, workflow(batch.workflow_version).submit_done_message)
        return redirect("verification:batch", batch_id=batch.pk)
    progress = selectors.area_progress(request.user, code)
    if progress.households:
        # One read row listing the households (names) the page shows.
        audit_read(
            ctx=web_ctx(request),
            object_type="verification.area",
            object_id=code,
            area_code=code,
            summary=say(
                gettext_noop("verification (ศจพ.1) of %(area)s read: %(n)s households"),
                area=summaries.area(code),
                n=len(progress.households),
            ),
            objects=progress.households,
        )
    parent = code[:6] if len(code) == 8 and request.user.covers(code[:6]) else ""
    return render(
        request,
        "verification/area.html",
        {
            "progress": progress,
            "may_submit": request.user.can(workflow().submit_permission),
            "may_verify": request.user.can(roles.VERIFY),
            "parent": parent,
            "parent_label": selectors.area_label(parent) if parent else "",
        },
    )


@login_required
@require_safe
def batches(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "verification/batches.html",
        {
            "groups": selectors.batch_list(request.user),
            "areas": selectors.verification_areas(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def batch(request: HttpRequest, batch_id: int) -> HttpResponse:
    b = access.one(
        request.user,
        Batch,
        "view",
        batch_id,
        queryset=Batch.objects.select_related("registry", "submitted_by"),
    )
    flow = b.workflow
    form = BatchStepForm(request.POST or None)
    if request.method == "POST":
        # The button pressed: "resubmit", or the name of a step of the batch's workflow.
        action = request.POST.get("action", "")
        if form.is_valid():
            try:
                if action == "resubmit":
                    services.batch_submit(
                        ctx=web_ctx(request),
                        area_code=b.area_code,
                        comment=form.cleaned_data["comment"],
                    )
                    done = flow.resubmit.done_message
                else:
                    services.batch_step(
                        ctx=web_ctx(request),
                        batch=b,
                        step=action,
                        comment=form.cleaned_data["comment"],
                    )
                    done = flow.steps[action].done_message
            # The batch's policy (seen here, but not this step), a step the batch's state
            # does not allow, a missing comment, or a resubmit refused.
            except (Refused, Invalid, Conflict) as refused:
                messages.error(request, refused.message)
                for message in refused.field_messages().values():
                    form.add_error("comment", message)
            else:
                messages.success(request, done)
                return redirect(reverse("verification:batch", args=[b.pk]))
    else:
        audit_read(
            ctx=web_ctx(request),
            obj=b,
            summary=say(gettext_noop("certification batch opened")),
            # The households (names) the page lists.
            objects=b.items.values_list("household_id", "household__hh_id"),
        )
    changes = selectors.batch_changes(b)
    steps = selectors.batch_steps(request.user, b)
    return render(
        request,
        "verification/batch.html",
        {
            "batch": b,
            "area_label": selectors.area_label(b.area_code),
            "changes": changes,
            "changing": sum(1 for c in changes if c.changes_anything),
            "indicator_texts": selectors.indicator_texts(b.registry),
            "steps": steps,
            "confirming": any(step.confirm for step in steps),
            "resubmit": flow.resubmit if selectors.user_may_resubmit(request.user, b) else None,
            "events": selectors.batch_events(b),
            "deadlines": selectors.batch_deadlines(b),
            "form": form,
            "approved": b.state == Batch.State.APPROVED,
        },
    )
