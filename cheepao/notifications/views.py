"""Pages of notifications (ADR 0029): the account's inbox (newest first, unread marked),
opening one (marks it read, then goes to its place inside Cheepao), marking all read, and
the account's channels (e-mail, LINE). Only ever the account's own: another account's
notification is the same 404 as one that does not exist."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cheepao.core.errors import Invalid
from cheepao.core.web import ctx
from cheepao.notifications import selectors, services

PER_PAGE = 30


@login_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.inbox_of(request.user), PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"n": n, "text": selectors.text_of(n)} for n in page]
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "rows": rows, "unread": selectors.unread_count(request.user)},
    )


@login_required
@require_POST
def open_one(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = services.notification_read(ctx=ctx(request), notification_id=notification_id)
    return redirect(services.safe_url(notification.url) or "notifications:inbox")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_read_all(ctx=ctx(request))
    if count:
        messages.success(request, _("All your notifications are marked read."))
    return redirect("notifications:inbox")


class PreferenceForm(forms.Form):
    email = forms.BooleanField(label=gettext_lazy("Send me a copy by e-mail"), required=False)
    line = forms.BooleanField(label=gettext_lazy("Send me a copy by LINE"), required=False)
    line_user_id = forms.CharField(
        label=gettext_lazy("LINE user id"),
        required=False,
        max_length=33,
        help_text=gettext_lazy(
            "The letter U and 32 letters and digits, as the Cheepao LINE official account "
            "tells you when you add it as a friend (not the LINE ID people search for)."
        ),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    pref = selectors.preference_of(request.user)
    initial = {"email": pref.email, "line": pref.line, "line_user_id": pref.line_user_id}
    form = PreferenceForm(request.POST or None, initial=initial)
    context = {
        "form": form,
        "line_available": selectors.line_available(),
        "has_email": bool(request.user.email),
    }
    if request.method == "POST" and form.is_valid():
        try:
            services.preferences_set(ctx=ctx(request), **form.cleaned_data)
        except Invalid as e:
            for name, message in e.field_messages().items():
                form.add_error(name if name in form.fields else None, message)
            return render(request, "notifications/preferences.html", context, status=400)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    status = 400 if request.method == "POST" else 200
    return render(request, "notifications/preferences.html", context, status=status)
