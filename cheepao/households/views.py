"""Pages of the target registry: the signed-in start page, search, the village register and
the household folder.

Every read of personal data goes through `selectors` (the account's area scope); an area
code or household id outside it answers 404, the same as one that does not exist.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_safe

from cheepao.accounts import roles
from cheepao.accounts.roles import VIEW_HOUSEHOLDS
from cheepao.audit import summaries
from cheepao.audit.services import audit_read
from cheepao.core.errors import ServiceError
from cheepao.core.web import ctx as web_ctx
from cheepao.households import extensions, selectors, services
from cheepao.households.forms import RegisterFilterForm, SearchForm


def _registry(request: HttpRequest):
    return selectors.registry_get(request.GET.get("year"), request.GET.get("version"))


def _year_query(request: HttpRequest, registry) -> str:
    """'?year=…' for links when a year other than the latest was asked for, with
    '&version=…' when a registry version other than the year's newest was."""
    asked = request.GET.get("year")
    if registry is not None and asked and asked == str(registry.survey_year):
        if request.GET.get("version") == str(registry.version):
            return f"?year={registry.survey_year}&version={registry.version}"
        return f"?year={registry.survey_year}"
    return ""


def _area_page(request: HttpRequest, code: str) -> HttpResponse:
    registry = _registry(request)
    overview = selectors.area_overview(request.user, registry, code)
    return render(
        request,
        "households/home.html",
        {
            "overview": overview,
            "registry": registry,
            "registry_years": selectors.registry_years(),
            "year_query": _year_query(request, registry),
            "readings": selectors.readings_used(registry),
        },
    )


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page after sign-in: the user's own area, whatever their role."""
    if not request.user.can(VIEW_HOUSEHOLDS):
        return render(request, "households/no_cases.html")
    return _area_page(request, request.user.area_code)


@require_safe
@login_required
def area(request: HttpRequest, code: str) -> HttpResponse:
    if not selectors.area_in_scope(request.user, code) or not selectors.area_breadcrumb(code):
        raise Http404("no such area")
    return _area_page(request, code)


def _register(request: HttpRequest, code: str) -> HttpResponse:
    if not selectors.area_in_scope(request.user, code) or not selectors.area_breadcrumb(code):
        raise Http404("no such area")
    registry = _registry(request)
    form = _filter_form(request, registry)
    filters = form.filters()
    crumbs = selectors.area_breadcrumb(code)
    context = {
        "code": code,
        "crumbs": crumbs,
        "place": " ".join(c.name for c in reversed(crumbs[-2:]))
        if len(code) == 8
        else crumbs[-1].name,
        "registry": registry,
        "registry_years": selectors.registry_years(),
        "form": form,
        "filters": filters,
        "query": _query_without_page(request),
        "exportable": len(code) == 8 and registry is not None,
        "year_query": _year_query(request, registry),
        "actions": extensions.area_actions.shown(request.user, code),
        "columns": extensions.register_columns.all(),
        "map_legend": selectors.map_legend(),
        "readings": selectors.readings_used(registry),
    }
    if registry is not None:
        qs = selectors.register_households(request.user, registry, code, filters)
        context["register"] = selectors.register_page(qs, registry, request.GET.get("page"))
        context["map"] = selectors.register_map(context["register"], code)
        _audit_register_read(request, code, context["place"], context["register"], filters)
    # Only the filter form asks for the table alone; boosted links and history restores
    # (also HTMX requests) need the whole page.
    partial = request.headers.get("HX-Target") == "register-results"
    template = "households/_register_table.html" if partial else "households/register.html"
    return render(request, template, context)


def _audit_register_read(request: HttpRequest, code: str, place: str, register, filters) -> None:
    """One read row per register page shown: which households (names, masked PINs) it
    listed, on which page and with which filters."""
    shown = [row.household for row in register.rows]
    if not shown:
        return
    audit_read(
        ctx=web_ctx(request),
        object_type="households.village" if len(code) == 8 else "households.subdistrict",
        object_id=code,
        area_code=code,
        summary=summaries.say(
            gettext_noop("target register of %(area)s read: %(n)s households (page %(page)s)"),
            area=summaries.area(code),
            n=len(shown),
            page=register.page.number,
        ),
        objects=shown,
        page=register.page.number,
        filters=filters.chosen(),
    )


def _filter_form(request: HttpRequest, registry) -> RegisterFilterForm:
    dims, inds = selectors.register_choices(registry)
    return RegisterFilterForm(request.GET, dimensions=dims, indicators=inds)


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_safe
@login_required
def village(request: HttpRequest, code: str) -> HttpResponse:
    """The ทะเบียน of one village: the list the operations team takes to the field."""
    return _register(request, code)


@require_safe
@login_required
def subdistrict(request: HttpRequest, code: str) -> HttpResponse:
    """All the subdistrict's target households on one list, for the operations team."""
    return _register(request, code)


@require_safe
@login_required
def village_export(request: HttpRequest, code: str) -> HttpResponse:
    """The village register as a workbook laid out like form ศจพ.1's table, with the
    filters of the page. It carries personal data, so it is audited and names its maker."""
    if not selectors.area_in_scope(request.user, code) or len(code) != 8:
        raise Http404("no such area")
    crumbs = selectors.area_breadcrumb(code)
    registry = _registry(request)
    if not crumbs or registry is None:
        raise Http404("no such area")
    filters = _filter_form(request, registry).filters()
    qs = selectors.register_households(request.user, registry, code, filters)
    households = selectors.register_export_rows(qs)
    data = _village_xlsx(households, registry=registry, crumbs=crumbs, user=request.user)
    audit_read(
        ctx=web_ctx(request),
        what="export",
        object_type="households.village",
        object_id=code,
        area_code=code,
        summary=summaries.say(
            gettext_noop("village register %(area)s (%(n)s households), XLSX"),
            area=summaries.area(code),
            n=len(households),
        ),
        filters=filters.chosen(),
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="cheepao_register_{code}_{registry.survey_year}.xlsx"'
    )
    return response


@require_safe
@login_required
def search(request: HttpRequest) -> HttpResponse:
    registry = _registry(request)
    villages = selectors.registry_villages(request.user, registry)
    submitted = any(name in request.GET for name in SearchForm.base_fields)
    form = SearchForm(request.GET if submitted else None, villages=villages)
    context = {"form": form, "registry": registry, "submitted": submitted}
    status = 200
    if submitted and form.is_valid():
        try:
            hits, more = services.search_households(
                ctx=web_ctx(request), registry=registry, query=form.query()
            )
        except services.PinLookupLimit as limited:
            context["limited"] = limited.message
            status = 429
        else:
            context.update(hits=hits, more=more, limit=selectors.SEARCH_LIMIT)
    return render(request, "households/search.html", context, status=status)


@require_safe
@login_required
def folder(request: HttpRequest, household_id: int) -> HttpResponse:
    household = selectors.household_folder(request.user, household_id)
    audit_read(
        ctx=web_ctx(request),
        obj=household,
        summary=summaries.say(gettext_noop("household folder %(hh_id)s"), hh_id=household.hh_id),
    )
    return render(
        request,
        "households/folder.html",
        {
            "household": household,
            "registry": household.registry,
            "members": selectors.member_rows(household),
            "head": selectors.household_head(list(household.members.all())),
            "tags": selectors.household_tags(household),
            "address": selectors.household_address(household),
            "crumbs": selectors.area_breadcrumb(household.village_code),
            "groups": selectors.household_indicators(household),
            "corrections": selectors.household_corrections(household),
            "history": selectors.household_history(household),
            "sections": extensions.folder_sections.shown(household, request.user),
            "map": selectors.folder_map(household),
            "map_legend": selectors.map_legend(),
            "readings": selectors.readings_used(household.registry),
        },
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORM1_GROUPS = (
    # (group heading, column headings) as in seed 004 ผนวก ค: columns (1) to (6).
    (
        "(1) ข้อมูลครัวเรือน",
        (
            "ที่",
            "บ้านเลขที่",
            "หมู่",
            "ตำบล",
            "อำเภอ",
            "คำนำหน้า",
            "ชื่อ – สกุล หัวหน้าครัวเรือน",
            "อายุ (ปี)",
            "เพศ",
            "อาชีพ",
            "คนในครัวเรือน (คน)",
            "ถือบัตรสวัสดิการแห่งรัฐ",
            "ผู้สูงอายุ",
            "ผู้พิการ",
            "ป่วย",
        ),
    ),
    (
        "(2) สรุปข้อมูลครัวเรือน",
        ("อาศัยอยู่จริง", "ย้ายที่อยู่", "หน.ครัวเรือนเสียชีวิต", "มีสมาชิกใหม่ในครัวเรือน"),
    ),
    (
        "(3) สภาพการเงิน",
        (
            "รายได้รวม/ปี",
            "รายได้เฉลี่ย (บาท/คน/ปี)",
            "หนี้ในระบบ",
            "หนี้นอกระบบ",
            "การออม",
            "ความสามารถในการชำระหนี้",
        ),
    ),
    ("(4) สภาพปัญหาที่ปรากฏในระบบ (1 คือ ตกเกณฑ์)", ()),  # the indicators' short names
    (
        "(5) สรุปข้อมูลตามสภาพปัญหา",
        ("ถูกต้องทั้งหมด", "ถูกต้องบางส่วน", "คลาดเคลื่อนทั้งหมด", "ไม่พบสภาพปัญหาดังกล่าว"),
    ),
    ("(6) ประเภทครัวเรือน", ("พัฒนาได้", "สงเคราะห์")),
)
SEX_TH = {"M": "ชาย", "F": "หญิง"}


def _village_xlsx(rows, *, registry, crumbs, user) -> bytes:
    """Form ศจพ.1's table with columns (1), (3) and (4) filled from the registry and (2),
    (5), (6) left for the field team, in Thai as the form is printed."""
    from io import BytesIO

    from django.utils import timezone
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from cheepao.config.thai import be_datetime
    from cheepao.engine.api import cells

    # Every cell goes through cells.openpyxl_*: names, house numbers and occupations are
    # what people typed, and a text starting with '=' must stay text (never a formula).
    cat = registry.catalogue
    indicators = [i for d in cat.dimensions for i in cat.indicators_of(d.code)]
    groups = [
        (title, cols or tuple(i.short_th for i in indicators)) for title, cols in FORM1_GROUPS
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = "ศจพ.1"
    place = " ".join(c.name for c in reversed(crumbs))
    maker = user.get_full_name() or user.username
    with translation.override("th"):
        made_at = be_datetime(timezone.now())
    cells.openpyxl_append(ws, ["แบบฟอร์มจัดทำทะเบียนบุคคล/ครัวเรือนเป้าหมาย : ศจพ. 1"])
    cells.openpyxl_append(ws, [place])
    cells.openpyxl_append(
        ws,
        [
            f"ข้อมูลปีสำรวจ {registry.survey_year} · ชุดตัวชี้วัด {registry.indicator_set_id} "
            f"ฉบับที่ {registry.indicator_set_version} · เกณฑ์ {registry.profile}"
        ],
    )
    cells.openpyxl_append(
        ws, [f"จัดทำโดย {maker} ({user.username}) เมื่อ {made_at} · ข้อมูลส่วนบุคคล ห้ามเผยแพร่"]
    )
    ws["A1"].font = Font(bold=True, size=14)
    top, sub = 5, 6
    col = 1
    for title, cols in groups:
        cells.openpyxl_set(ws, top, col, title).font = Font(bold=True)
        if len(cols) > 1:
            ws.merge_cells(
                start_row=top, start_column=col, end_row=top, end_column=col + len(cols) - 1
            )
        for offset, name in enumerate(cols):
            cell = cells.openpyxl_set(ws, sub, col + offset, name)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        col += len(cols)
    address = {c.code: c.name for c in crumbs}
    for n, r in enumerate(rows, start=1):
        h, head = r.household, r.head
        cells.openpyxl_append(
            ws,
            [
                n,
                h.house_no,
                h.village_no,
                address.get(h.subdistrict_code, ""),
                address.get(h.district_code, ""),
                head.title if head else "",
                f"{head.first_name} {head.last_name}" if head else "",
                head.age if head else None,
                SEX_TH.get(head.sex, "") if head else "",
                head.occupation if head else "",
                h.n_members,
                r.welfare_cards,
                r.elderly,
                r.disabled,
                r.ill,
                None,
                None,
                None,
                None,
                h.income_total,
                h.income_per_person,
                h.debt_formal,
                h.debt_informal,
                h.savings,
                None,
                *[1 if i.code in r.indicators else None for i in indicators],
            ],
        )
    for c in range(1, col):
        ws.column_dimensions[get_column_letter(c)].width = 22 if c == 7 else 11
    ws.freeze_panes = ws.cell(sub + 1, 3)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- loading a survey year


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def load(request: HttpRequest) -> HttpResponse:
    """The national page that loads an engine run found under CHEEPAO_RUNS_DIR into the
    registry, as a background job whose page follows the work (ADR 0021)."""
    if not request.user.can(roles.LOAD_REGISTRY):
        raise Http404("no such page")
    error = ""
    chosen = ""
    new_version = False
    status = 200
    if request.method == "POST":
        chosen = request.POST.get("run", "")
        new_version = request.POST.get("new_version") == "1"
        try:
            job = services.registry_load_start(
                ctx=web_ctx(request), run=chosen, new_version=new_version
            )
        except ServiceError as e:
            error, status = e.message, e.status
        else:
            return redirect("jobs:detail", job_id=job.pk)
    return render(
        request,
        "households/load.html",
        {
            "runs": selectors.runs_to_load(),
            "runs_dir": str(settings.CHEEPAO_RUNS_DIR),
            "error": error,
            "chosen": chosen,
            "new_version": new_version,
        },
        status=status,
    )
