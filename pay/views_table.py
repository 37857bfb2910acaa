"""HR's pages of a cycle's pay table: the published version and its history, editing the draft, publishing it
and discarding it.

Publishing and discarding ask first (core.confirm), saying what happens to whom with counts. A refusal about a
field shows at that field; one about the whole action (a closed cycle, no draft, a draft that skips a band)
shows as a message on the pay table page the view redirects to.
"""

from collections import Counter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from core.confirm import confirm_page, confirmed
from core.forms import errors_as_messages, is_about_fields
from core.urls import get_or_404
from cycles.models import Cycle
from organizations.tenancy import org_view
from reviews import scales

from . import selectors_table, services_table
from .forms_table import RuleForm, TopForm
from .rules import MANAGE_PAY
from .standing import terms_of


def _cycle(request, cycle_id) -> Cycle:
    return get_or_404(Cycle.objects.filter(organization=request.organization).select_related("organization"), cycle_id)


def _to_table(cycle):
    return redirect("pay:pay_table", org_slug=cycle.organization.slug, cycle_id=cycle.pk)


def _day(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


@org_view(MANAGE_PAY)
@require_GET
def pay_table(request, cycle_id):
    """The version everyone reads, per band; the effective date; the draft; every published version."""
    cycle = _cycle(request, cycle_id)
    page = selectors_table.table_page(cycle=cycle)
    context = {
        "cycle": cycle,
        "page": page,
        "terms": terms_of(cycle=cycle, pay_table=page.published),
        "may_edit": cycle.status in services_table.TABLE_EDITABLE,
    }
    return render(request, "pay/table_detail.html", context)


# --- editing the draft ------------------------------------------------------------------------------------------


def _errors_onto_forms(rule_forms: dict, top: TopForm, error: ValidationError) -> None:
    """A service's ``band-<id>-<field>`` errors at that band's field; any other key on the top form."""
    for key, found in error.error_dict.items():
        prefix, _sep, name = key.rpartition("-")
        form = rule_forms.get(prefix)
        if form is None:
            form, name = top, key
        form.add_error(name if name in form.fields else None, found)


def _posts_every_band(request, bands) -> bool:
    """The POST covers exactly the cycle's bands: no band left out, none of another cycle, none twice."""
    return Counter(request.POST.getlist("bands")) == Counter(str(band.pk) for band in bands)


@org_view(MANAGE_PAY)
@require_http_methods(["GET", "POST"])
def pay_table_edit(request, cycle_id):
    """The draft's form, one fieldset per band: starts from the draft, or from the latest published version (the
    first save makes the draft, as the next version)."""
    cycle = _cycle(request, cycle_id)
    if cycle.status not in services_table.TABLE_EDITABLE:
        messages.error(request, services_table.CLOSED)
        return _to_table(cycle)
    organization = request.organization
    bands = scales.cycle_bands(cycle=cycle)
    source = selectors_table.edit_source(cycle=cycle)
    rules = {rule.band_id: rule for rule in source.rules.all()} if source else {}
    data = request.POST if request.method == "POST" else None
    rule_forms = {
        f"band-{band.pk}": RuleForm(
            data,
            prefix=f"band-{band.pk}",
            organization=organization,
            initial=RuleForm.initial_for(rules.get(band.pk)),
        )
        for band in bands
    }
    top = TopForm(data, initial=TopForm.initial_for(source))
    if data is not None:
        if not _posts_every_band(request, bands):
            top.add_error(None, services_table.SKIPS_A_BAND)
        elif all([top.is_valid(), *[form.is_valid() for form in rule_forms.values()]]):
            try:
                draft = services_table.pay_table_draft_save(
                    cycle=cycle,
                    top_rule=top.cleaned_data["top_rule"],
                    top_one_off_percent=top.cleaned_data["top_one_off_percent"],
                    rules={band.pk: rule_forms[f"band-{band.pk}"].rule_input() for band in bands},
                )
            except ValidationError as error:
                if not is_about_fields(error):
                    errors_as_messages(request, error)
                    return _to_table(cycle)
                _errors_onto_forms(rule_forms, top, error)
            else:
                messages.success(
                    request, _("The draft of version %(version)d has been saved.") % {"version": draft.version}
                )
                return _to_table(cycle)
    context = {
        **rule_forms,  # each band's form under its prefix too, as tests.kit.bound_form reads a page's forms
        "cycle": cycle,
        "rows": [(band, rule_forms[f"band-{band.pk}"]) for band in bands],
        "top": top,
        "source": source,
        "version": source.version if source and not source.is_published else (source.version + 1 if source else 1),
    }
    return render(request, "pay/table_edit.html", context)


# --- publishing and discarding ----------------------------------------------------------------------------------


def _publish_page(request, cycle, page):
    draft, previous = page.draft, page.published
    count = selectors_table.readers(cycle=cycle)
    names = {"version": draft.version, "cycle": cycle.name, "count": count}
    points = [
        _(
            "Version %(version)d of the pay table of %(cycle)s is published: from then on it is what everyone "
            "in the cycle reads about what each outcome means for them. It is never changed afterwards; a change "
            "makes a new version."
        )
        % names,
        ngettext(
            "%(count)d person in this cycle will read it on their pay page.",
            "%(count)d people in this cycle will read it on their pay page.",
            count,
        )
        % names,
    ]
    if previous is not None:
        points += [
            _("They will see that the pay table changed on %(date)s, and what it says now.")
            % {"date": formats.date_format(timezone.localdate(), "DATE_FORMAT")},
            _("Version %(previous)d, published on %(published)s, stays in the history of this pay table.")
            % {"previous": previous.version, "published": _day(previous.published_at)},
        ]
    else:
        points.append(_("It is the first version: until now nobody in this cycle has read a pay table."))
    return confirm_page(
        request,
        title=_("Publish version %(version)d of the pay table of %(cycle)s") % names,
        points=points,
        button=_("Publish version %(version)s") % names,
        back=reverse("pay:pay_table", kwargs={"org_slug": cycle.organization.slug, "cycle_id": cycle.pk}),
        back_label=_("Back to the pay table"),
        danger=False,
    )


@org_view(MANAGE_PAY)
@require_http_methods(["GET", "POST"])
def pay_table_publish(request, cycle_id):
    """Publish the draft, after a page saying who will read it and what they will see."""
    cycle = _cycle(request, cycle_id)
    if cycle.status not in services_table.TABLE_EDITABLE:
        messages.error(request, services_table.CLOSED)
        return _to_table(cycle)
    page = selectors_table.table_page(cycle=cycle)
    if page.draft is None:
        messages.error(request, _("There is no draft to publish. It may have been published or discarded meanwhile."))
        return _to_table(cycle)
    covered = {rule.band_id for rule in page.draft.rules.all()}
    if missing := [band for band in page.bands if band.pk not in covered]:
        messages.error(request, services_table.skipped_bands(missing))
        return _to_table(cycle)
    if not confirmed(request):
        return _publish_page(request, cycle, page)
    try:
        table = services_table.pay_table_publish(cycle=cycle, actor=request.employee)
    except ValidationError as error:
        errors_as_messages(request, error)
    else:
        messages.success(
            request, _("Version %(version)d of the pay table has been published.") % {"version": table.version}
        )
    return _to_table(cycle)


def _discard_page(request, cycle, page):
    draft, published = page.draft, page.published
    bands = len(draft.rules.all())
    names = {"version": draft.version, "count": bands}
    points = [
        ngettext(
            "The draft of version %(version)d is deleted, with what it says for %(count)d outcome band.",
            "The draft of version %(version)d is deleted, with what it says for %(count)d outcome bands.",
            bands,
        )
        % names,
        _("Nobody has read the draft, so nothing changes for anyone."),
    ]
    if published is not None:
        points.append(
            _("Version %(version)d, published on %(published)s, stays what everyone reads.")
            % {"version": published.version, "published": _day(published.published_at)}
        )
    else:
        points.append(_("This cycle stays without a published pay table."))
    return confirm_page(
        request,
        title=_("Discard the draft of version %(version)d") % names,
        points=points,
        button=_("Discard the draft"),
        back=reverse("pay:pay_table", kwargs={"org_slug": cycle.organization.slug, "cycle_id": cycle.pk}),
        back_label=_("Back to the pay table"),
    )


@org_view(MANAGE_PAY)
@require_http_methods(["GET", "POST"])
def pay_table_discard(request, cycle_id):
    """Delete the draft, after a page saying what goes and what stays."""
    cycle = _cycle(request, cycle_id)
    page = selectors_table.table_page(cycle=cycle)
    if page.draft is None:
        messages.error(request, _("There is no draft to discard. It may have been published or discarded meanwhile."))
        return _to_table(cycle)
    if not confirmed(request):
        return _discard_page(request, cycle, page)
    try:
        draft = services_table.pay_table_discard(cycle=cycle)
    except ValidationError as error:
        errors_as_messages(request, error)
    else:
        messages.success(
            request, _("The draft of version %(version)d has been discarded.") % {"version": draft.version}
        )
    return _to_table(cycle)
