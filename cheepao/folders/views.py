"""Pages of the family folder, phone first.

Households are reached only through `household_for`: reading the folder (and its photos and
PDF) with the action `view` (accounts whose area holds the household), filling it with the
action `care` (its mentors only). Anything else is the same 404 as a household that does
not exist. Photos are never a public media URL: `photo` checks access, records the read and
streams the stored file from the storage. Writes go through the services.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cheepao.audit.services import audit_read
from cheepao.audit.summaries import label, say
from cheepao.core import access
from cheepao.core.errors import Conflict, Invalid, Refused
from cheepao.core.web import ctx as web_ctx
from cheepao.folders import pdf, selectors, services
from cheepao.folders.forms import FolderForm, LocationForm, PhotoForm, initial_for
from cheepao.folders.models import FamilyFolder, FolderPhoto
from cheepao.geo.selectors import area_label
from cheepao.households.selectors import household_for
from cheepao.households.selectors.maps import district_feature


def _common(household, user) -> dict:
    return {
        "household": household,
        "area_label": area_label(household.village_code),
        "may_care": access.allows(user, "care", household),
    }


@login_required
@require_safe
def folder(request: HttpRequest, household_id: int) -> HttpResponse:
    household = household_for(request.user, household_id)
    versions = selectors.folder_versions(household)
    shown = versions[0] if versions else None
    asked = request.GET.get("v")
    if asked:
        shown = selectors.folder_version(household, asked)
        if shown is None:
            raise Http404
    photos = selectors.photos_current(household)
    audit_read(
        ctx=web_ctx(request),
        obj=household,
        summary=say(
            gettext_noop("family folder read (version %(number)s)"),
            number=shown.number if shown else 0,
        ),
    )
    return render(
        request,
        "folders/folder.html",
        {
            **_common(household, request.user),
            "folder": shown,
            "latest": versions[0] if versions else None,
            "versions": versions,
            "photos": photos,
            "pin": _pin(shown),
        },
    )


def _pin(folder: FamilyFolder | None) -> dict | None:
    if folder is None or folder.lat is None or folder.lng is None:
        return None
    return {"lat": folder.lat, "lng": folder.lng, "kind": folder.household_type or "none"}


def _to_change(request: HttpRequest, household_id: int) -> tuple[Any, FamilyFolder | None, int]:
    """The household a mentor changes the folder of (404 outside their care), its newest
    folder version and that version's number (0 before the first)."""
    household = household_for(request.user, household_id, "care")
    latest = services.folder_latest(household)
    return household, latest, latest.number if latest else 0


def _on_newer_version(
    form_class: type[Form], request: HttpRequest, base: int, exc: Conflict
) -> Form:
    """Someone saved a newer version meanwhile: the answers typed stay, the form now carries
    the newest version (so saving again replaces it knowingly) and says so."""
    posted = request.POST.copy()
    posted["base_version"] = str(base)
    form = form_class(posted)
    form.is_valid()
    form.add_error(None, exc.message)
    return form


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, household_id: int) -> HttpResponse:
    household, latest, base = _to_change(request, household_id)
    if request.method == "POST":
        form = FolderForm(request.POST)
        if form.is_valid():
            try:
                services.folder_save(
                    ctx=web_ctx(request),
                    household=household,
                    data=form.service_data(),
                    base_version=form.cleaned_data["base_version"],
                )
            except Invalid as exc:
                form.add_service_errors(exc.field_messages(), exc.message)
            except Conflict as exc:
                form = _on_newer_version(FolderForm, request, base, exc)
            else:
                messages.success(request, _("The family folder was saved."))
                return redirect("folders:folder", household_id=household.pk)
    else:
        form = FolderForm(initial=initial_for(services.folder_answers(latest, household), base))
        audit_read(
            ctx=web_ctx(request),
            obj=household,
            summary=say(gettext_noop("family folder opened to fill in")),
        )
    return render(
        request,
        "folders/edit.html",
        {**_common(household, request.user), "form": form, "latest": latest},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def photos(request: HttpRequest, household_id: int) -> HttpResponse:
    household = household_for(request.user, household_id, "care")
    status = 200
    if request.method == "POST":
        form = PhotoForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.photo_add(
                    ctx=web_ctx(request),
                    household=household,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["photo"],
                )
            except (Invalid, Refused) as exc:
                for name, text in exc.field_messages().items():
                    form.add_error(name if name in form.fields else None, text)
                if not exc.fields:
                    form.add_error(None, exc.message)
            else:
                messages.success(request, _("The photo was added."))
                return redirect("folders:photos", household_id=household.pk)
    else:
        form = PhotoForm()
    current = selectors.photos_current(household)
    if current:
        audit_read(
            ctx=web_ctx(request),
            obj=household,
            summary=say(gettext_noop("family folder photos listed")),
        )
    return render(
        request,
        "folders/photos.html",
        {
            **_common(household, request.user),
            "form": form,
            "photos": current,
            "full": len(current) >= services.MAX_PHOTOS,
            "max_photos": services.MAX_PHOTOS,
        },
        status=status,
    )


@login_required
@require_POST
def photo_remove(request: HttpRequest, household_id: int, photo_id: int) -> HttpResponse:
    household = household_for(request.user, household_id, "care")
    if selectors.photo_of(household, photo_id) is None:
        raise Http404
    try:
        services.photo_remove(ctx=web_ctx(request), household=household, photo_id=photo_id)
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The photo was removed from the folder."))
    return redirect("folders:photos", household_id=household.pk)


@login_required
@require_safe
def photo(request: HttpRequest, household_id: int, photo_id: int, size: str) -> FileResponse:
    if size not in ("full", "thumb"):
        raise Http404
    household = household_for(request.user, household_id)
    found = selectors.photo_of(household, photo_id)
    # A removed photo stays readable from the folder's history to those who may read it.
    if found is None:
        raise Http404
    audit_read(
        ctx=web_ctx(request),
        obj=household,
        summary=say(
            gettext_noop("family folder photo viewed: %(kind)s"),
            kind=label(FolderPhoto.Kind(found.kind).label, code=found.kind),
        ),
        changes={"photo": found.pk, "size": size},
    )
    stored = found.image if size == "full" else found.thumb
    response = FileResponse(stored.open("rb"), content_type="image/jpeg")
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def location(request: HttpRequest, household_id: int) -> HttpResponse:
    household, latest, base = _to_change(request, household_id)
    if request.method == "POST":
        form = LocationForm(request.POST)
        if form.is_valid():
            try:
                services.location_set(
                    ctx=web_ctx(request),
                    household=household,
                    lat=form.cleaned_data["lat"],
                    lng=form.cleaned_data["lng"],
                    base_version=form.cleaned_data["base_version"],
                )
            except Invalid as exc:
                form.add_error(None, exc.message)
            except Conflict as exc:
                form = _on_newer_version(LocationForm, request, base, exc)
            else:
                messages.success(request, _("The house was pinned on the map."))
                return redirect("folders:folder", household_id=household.pk)
    else:
        initial = {"base_version": base}
        if latest and latest.lat is not None:
            initial.update(lat=latest.lat, lng=latest.lng)
        elif household.lat is not None and household.lon is not None:
            initial.update(lat=household.lat, lng=household.lon)
        form = LocationForm(initial=initial)
        audit_read(
            ctx=web_ctx(request),
            obj=household,
            summary=say(gettext_noop("family folder opened to pin the house")),
        )
    return render(
        request,
        "folders/location.html",
        {
            **_common(household, request.user),
            "form": form,
            "latest": latest,
            "map": {
                "bounds": [
                    [services.LAT_RANGE[0], services.LNG_RANGE[0]],
                    [services.LAT_RANGE[1], services.LNG_RANGE[1]],
                ],
                "tiles": _tiles(),
                "district": district_feature(household.district_code),
            },
        },
    )


def _tiles() -> dict | None:
    url = settings.CHEEPAO_MAP_TILES
    if not url:
        return None
    return {"url": url, "attribution": settings.CHEEPAO_MAP_TILES_ATTRIBUTION}


@login_required
@require_safe
def folder_pdf(request: HttpRequest, household_id: int) -> HttpResponse:
    household = household_for(request.user, household_id, "export")
    latest = services.folder_latest(household)
    if latest is None:
        raise Http404
    content = pdf.folder_pdf(household, latest, user=request.user)
    audit_read(
        ctx=web_ctx(request),
        what="export",
        obj=household,
        summary=say(
            gettext_noop("family folder printed as PDF (version %(number)s)"),
            number=latest.number,
        ),
    )
    response = HttpResponse(content, content_type="application/pdf")
    name = f"family-folder-{household.hh_id}-v{latest.number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
