from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cheepao.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The audit receivers connect on import; the policy of managed accounts registers.
        from cheepao.accounts import policies, signals  # noqa: F401

        policies.register()
