from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("cheepao.accounts.urls")),
    path("registry/", include("cheepao.households.urls")),
    path("verification/", include("cheepao.verification.urls")),
    path("imports/", include("cheepao.imports.urls")),
    path("new-households/", include("cheepao.newhouseholds.urls")),
    path("mentoring/", include("cheepao.mentoring.urls")),
    path("routing/", include("cheepao.routing.urls")),
    path("audit/", include("cheepao.audit.urls")),
    path("jobs/", include("cheepao.jobs.urls")),
    path("folders/", include("cheepao.folders.urls")),
    path("plans/", include("cheepao.plans.urls")),
    path("notifications/", include("cheepao.notifications.urls")),
    path("escalation/", include("cheepao.escalation.urls")),
    path("logbook/", include("cheepao.logbook.urls")),
    path("stats/", include("cheepao.helpstats.urls")),
    path("open-data/", include("cheepao.opendata.urls")),
    path("evaluation/", include("cheepao.evaluation.urls")),
    path("reports/", include("cheepao.reports.urls")),
    path("maps/", include("cheepao.maps.urls")),
    path("snapshots/", include("cheepao.snapshots.urls")),
    path("", include("cheepao.dashboards.urls")),
]

# A busy database answers "send again" with the form kept (busy.py); anything else is 500.
handler500 = "cheepao.config.busy.server_error"
