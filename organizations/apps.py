from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organisations")

    def ready(self):
        from accounts import languages as account_languages

        from . import audit, languages
        from .models import Employee

        # Outside an organisation's pages a person without a language of their own reads their organisations'.
        account_languages.register_organizations_language(languages.organizations_language)

        # The audit trail (organizations/audit.py): what HR sees on a person's page. Not the login (its address
        # and password live on accounts.User, which is not logged) and no timestamps that repeat the entry's.
        audit.register(
            Employee,
            fields=(
                "first_name",
                "last_name",
                "job_title",
                "employee_number",
                "role",
                "team",
                "manager",
                "is_active",
                "joined_at",
            ),
            deletes=False,  # people are deactivated; a membership goes only with its organisation
        )
