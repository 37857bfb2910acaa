from django import forms
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import selectors
from .importing import extra_columns, file_limits
from .models import Employee, Role, Team


class PersonForm(forms.Form):
    """Add or edit a person. Team and manager choices come from this organisation only."""

    email = forms.EmailField(label=_("Email address"), max_length=254)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=150, required=False)
    employee_number = forms.CharField(
        label=_("Employee number"),
        max_length=Employee._meta.get_field("employee_number").max_length,
        required=False,
        help_text=_("Optional: the number your payroll system knows this person by. No two people share one."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.EMPLOYEE)
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("No team")
    )
    manager = forms.ModelChoiceField(
        label=_("Manager"), queryset=Employee.objects.none(), required=False, empty_label=_("No manager")
    )

    def __init__(self, *args, organization, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        if person is not None:
            # Shown as it is, also when the caller's initial values leave it out.
            self.initial.setdefault("employee_number", person.employee_number)
            self.fields["email"].help_text = _(
                "A new address gets an invitation; this person opens the organisation again once they accept it."
            )
        else:
            # Whoever the address belongs to, the same happens (services.person_create).
            self.fields["email"].help_text = _("An invitation is sent to this address.")
        self.fields["team"].queryset = Team.objects.filter(organization=organization).order_by("name")
        managers = selectors.managers(organization=organization)
        if person is not None:
            # Keep a deactivated current manager choosable: otherwise the select would not
            # show them and saving any other field would silently drop the reporting line.
            current = Employee.objects.filter(organization=organization, pk=person.manager_id)
            managers = (managers | current).exclude(pk=person.pk)
        self.fields["manager"].queryset = managers
        self.fields["manager"].label_from_instance = lambda employee: employee.full_name


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=120)


# --- the people import ---------------------------------------------------------------------------------------------


class PeopleFileForm(forms.Form):
    """The upload. The file's content decides how it is read (importing.parsing), never its name; ``accept``
    only narrows the browser's file picker."""

    file = forms.FileField(
        label=_("People file (CSV or Excel)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            gettext(
                "An Excel workbook (.xlsx), or a .csv file as your spreadsheet saves it (UTF-8 or Excel's own "
                "encoding, columns separated by commas or semicolons); at most %(size)s and %(rows)s people."
            )
            % file_limits()
        )
        self.extra_columns = extra_columns()  # the columns apps above add (importing.extra), for the upload page


class ImportConfirmForm(forms.Form):
    """The confirmation of a previewed import: whether its new people are invited now.

    A browser leaves an unticked checkbox out of the POST, so a confirmation
    without the field invites nobody.
    """

    send_invitations = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args, new_people: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["send_invitations"].label = ngettext(
            "Send an invitation to the %(count)d new person now",
            "Send invitations to the %(count)d new people now",
            new_people,
        ) % {"count": new_people}
        self.fields["send_invitations"].help_text = gettext(
            "Without it nobody is invited yet; you can invite each person later from their page."
        )
