from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "cheepao.households"
    label = "households"
    verbose_name = _("Households")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cheepao.households import policies

        policies.register()

        from cheepao.accounts.selectors import register_household_counter
        from cheepao.households.selectors import household_counts_below

        register_household_counter(household_counts_below)
        from cheepao.households import jobs
        from cheepao.jobs import kinds

        kinds.register(jobs.KIND)

        from cheepao.audit.models import register_object_type
        from cheepao.households.services import PIN_LOOKUP

        register_object_type(PIN_LOOKUP, _("national ID lookup"))
        register_object_type("households.village", _("village register"), area=True)
        register_object_type("households.subdistrict", _("subdistrict register"), area=True)
