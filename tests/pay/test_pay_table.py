"""A cycle's pay table: the published version per band, its history, and HR's draft (edit, publish, discard).

A published version is never edited: a change is a draft of the next version, made on first save as a copy of
the version everyone reads, which HR publishes after a page saying who will read it.
"""

import html
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from cycles.models import CycleStatus
from organizations.audit_models import AuditEntry
from pay import selectors_table
from pay.models import PayRule, PayTable, TopRule
from pay.services_table import RuleInput, pay_table_draft_save
from reviews import scales
from reviews.models import OutcomeBand
from tests.factories import CycleFactory, EmployeeFactory, PayRuleFactory, PayTableFactory
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    field_error,
    nonfield_errors,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db

CONFIRM = {"confirm": "yes"}
CLOSED = "This cycle is closed: its pay table no longer changes."
SKIPS = (
    "A pay table gives a rule for every outcome band of its cycle, and only for those. The bands have changed "
    "since this page was opened: here is the form with the cycle's bands as they are now."
)
REQUIRED = "Fill this in, in the organisation's language."


def address(name, cycle):
    return url(f"pay:{name}", cycle.organization, cycle_id=cycle.pk)


def text(response):
    """The page as a person reads it: entities unescaped."""
    return html.unescape(response.content.decode())


def table_data(pay, **changes):
    """What the edit form posts: every band's rule of version 1 as it is, with ``changes`` (``band-<id>-<field>``).

    ``changes`` name bands by position: ``b0_steps="2"`` is ``band-<id of band 0>-steps``.
    """
    data = {"bands": [str(band.pk) for band in pay.bands], "top_rule": "one_off", "top_one_off_percent": "3"}
    for band, rule in zip(pay.bands, pay.rules, strict=True):
        prefix = f"band-{band.pk}-"
        data.update(
            {
                prefix + "steps": str(rule.steps),
                prefix + "raise_percent": str(rule.raise_percent),
                prefix + "one_off_percent": str(rule.one_off_percent),
                prefix + "sentence_nl": rule.sentence_nl,
                prefix + "sentence_en": rule.sentence_en,
            }
        )
        if rule.promotion:
            data[prefix + "promotion"] = "on"
    for key, value in changes.items():
        if key.startswith("b") and key[1].isdigit():
            position, field = key[1:].split("_", 1)
            key = f"band-{pay.bands[int(position)].pk}-{field}"
        data[key] = value
    return data


def rules_of(table):
    return list(
        PayRule.objects.filter(table=table)
        .order_by("band__position")
        .values_list("band_id", "steps", "raise_percent", "one_off_percent", "promotion", "sentence_nl", "sentence_en")
    )


def draft_of(cycle):
    return PayTable.objects.filter(cycle=cycle, published_at__isnull=True).first()


def audit_entries(model, **filters):
    return AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(model), **filters)


@pytest.fixture
def draft(pay):
    """A draft of version 2 of the pay fixture's table: version 1's rules, the middle band two steps."""
    table = PayTableFactory(cycle=pay.cycle, version=2, published_at=None, top_one_off_percent=Decimal("3"))
    for band, rule in zip(pay.bands, pay.rules, strict=True):
        PayRuleFactory(
            table=table,
            band=band,
            steps=2 if band.position == 1 else rule.steps,
            raise_percent=rule.raise_percent,
            one_off_percent=rule.one_off_percent,
            promotion=rule.promotion,
            sentence_nl=rule.sentence_nl,
            sentence_en=rule.sentence_en,
        )
    return table


# --- who may use the pages -----------------------------------------------------------------------------------------

PAGES = [
    ("pay_table", "get"),
    ("pay_table_edit", "get"),
    ("pay_table_edit", "post"),
    ("pay_table_publish", "get"),
    ("pay_table_publish", "post"),
    ("pay_table_discard", "get"),
    ("pay_table_discard", "post"),
]


def test_another_organisations_member_gets_404_everywhere(client, pay, draft, stranger):
    for name, method in PAGES:
        data = table_data(pay) | CONFIRM
        assert_other_organisation_gets_404(client, stranger, address(name, pay.cycle), method, data)


def test_another_organisations_cycle_is_404_to_hr(hr, pay, tenant_b):
    other = CycleFactory(organization=tenant_b.organization, status=CycleStatus.ACTIVE)
    PayTableFactory(cycle=other, version=1, published_at=None)
    with assert_nothing_changes():
        for name, method in PAGES:
            wrong = url(f"pay:{name}", pay.tenant.organization, cycle_id=other.pk)
            assert getattr(hr, method)(wrong, CONFIRM).status_code == 404, name


@pytest.mark.parametrize("role", ["manager", "employee"])
def test_only_hr_may_use_the_pay_table_pages(client, pay, draft, role):
    for name, method in PAGES:
        data = table_data(pay) | CONFIRM
        assert_role_forbidden(client, pay.tenant.member(role), address(name, pay.cycle), method, data)


def test_wrong_methods_get_405(hr, pay, draft):
    assert_method_not_allowed(hr, address("pay_table", pay.cycle), ["post", "put", "delete"])
    for name in ("pay_table_edit", "pay_table_publish", "pay_table_discard"):
        assert_method_not_allowed(hr, address(name, pay.cycle), ["put", "patch", "delete"])


# --- the pay table page --------------------------------------------------------------------------------------------


def test_the_page_shows_the_published_version_per_band_and_when_it_takes_effect(hr, pay):
    response = hr.get(address("pay_table", pay.cycle))

    page = text(response)
    assert response.status_code == 200
    for sentence in ("Geen trede erbij.", "No step up.", "Twee treden erbij en een eenmalige uitkering."):
        assert sentence in page
    assert "Below expectations" in page and "Exceeds expectations" in page
    effective = pay.cycle.ends_on.replace(month=1, day=1, year=pay.cycle.ends_on.year + 1)
    assert f"The consequences take effect on {effective.day} January {effective.year}." in page
    assert "a one-off payment of 3% of the annual salary instead of each step that does not fit" in page
    assert f"Published by {pay.tenant.hr.full_name}." in page
    assert "Make a new version" in page
    assert "no rule in the published version" not in page


def test_a_band_added_after_publishing_is_flagged(hr, pay):
    OutcomeBand.objects.create(
        organization=pay.tenant.organization,
        cycle=pay.cycle,
        position=3,
        name_nl="Uitzonderlijk",
        name_en="Outstanding",
    )

    page = text(hr.get(address("pay_table", pay.cycle)))

    assert "An outcome band of this cycle has no rule in the published version" in page
    assert "“Outstanding”" in page
    assert "No rule for this outcome" in page


def test_a_cycle_without_a_pay_table_says_so(hr, tenant_a):
    cycle = CycleFactory(organization=tenant_a.organization)

    page = text(hr.get(address("pay_table", cycle)))

    assert "No pay table has been published for this cycle yet" in page
    assert "Write the pay table" in page


def test_the_history_lists_each_published_version_with_its_rules_and_the_draft_with_its_buttons(hr, pay, draft):
    page = text(hr.get(address("pay_table", pay.cycle)))

    assert "The draft of version 2. Nobody reads it until it is published." in page
    assert "Edit the draft" in page and "Publish version 2" in page and "Discard the draft" in page
    assert "<details>" in page
    assert f"by {pay.tenant.hr.full_name}" in page


def test_a_closed_cycle_offers_no_editing(hr, pay):
    pay.cycle.status = CycleStatus.CLOSED
    pay.cycle.save()

    page = text(hr.get(address("pay_table", pay.cycle)))

    assert CLOSED in page
    assert "Make a new version" not in page


def test_the_page_costs_as_many_queries_with_40_versions_as_with_2(hr, pay):
    def build(numbers):
        for number in numbers:
            table = PayTableFactory(cycle=pay.cycle, version=number + 2, published_by=pay.tenant.hr)
            for band in pay.bands:
                PayRuleFactory(table=table, band=band)

    response = assert_flat_queries(lambda: hr.get(address("pay_table", pay.cycle)), build)

    assert "Version 41, published on" in text(response)


# --- editing the draft ---------------------------------------------------------------------------------------------


def test_the_form_starts_as_a_copy_of_the_published_version(hr, pay):
    with assert_nothing_changes(PayTable.objects.all(), PayRule.objects.all()):
        response = hr.get(address("pay_table_edit", pay.cycle))

    page = text(response)
    assert "Draft of version 2" in page
    assert "This starts as a copy of version 1" in page
    assert "Twee treden erbij en een eenmalige uitkering." in page
    assert f'name="band-{pay.bands[2].pk}-steps" value="2"' in page


def test_the_first_save_makes_version_2_a_copy_of_version_1_with_the_change(hr, pay):
    before = rules_of(pay.pay_table)

    response = hr.post(address("pay_table_edit", pay.cycle), table_data(pay, b1_steps="2", b1_one_off_percent="0,5"))

    assert response.status_code == 302
    assert shown_messages(hr.get(response["Location"])) == ["The draft of version 2 has been saved."]
    draft = draft_of(pay.cycle)
    assert draft.version == 2 and draft.published_at is None and draft.top_one_off_percent == Decimal("3")
    expected = [list(row) for row in before]
    expected[1][1], expected[1][3] = 2, Decimal("0.50")
    assert [list(row) for row in rules_of(draft)] == expected
    assert rules_of(pay.pay_table) == before  # version 1 untouched
    assert PayTable.objects.filter(cycle=pay.cycle).count() == 2
    assert audit_entries(PayTable, object_id=draft.pk, action=AuditEntry.Action.CREATE).count() == 1
    created = audit_entries(PayRule, action=AuditEntry.Action.CREATE, object_id__in=[r.pk for r in draft.rules.all()])
    assert created.count() == 3


def test_saving_again_changes_the_same_draft(hr, pay, draft):
    response = hr.post(address("pay_table_edit", pay.cycle), table_data(pay, b0_sentence_en="Nothing changes."))

    assert response.status_code == 302
    assert PayTable.objects.filter(cycle=pay.cycle).count() == 2
    assert draft.rules.get(band=pay.bands[0]).sentence_en == "Nothing changes."
    # The form posted version 1's values, so the middle band is back at one step.
    assert draft.rules.get(band=pay.bands[1]).steps == 1
    assert audit_entries(PayRule, action=AuditEntry.Action.UPDATE).count() == 2


def test_a_first_pay_table_starts_from_empty_defaults(hr, tenant_a):
    cycle = CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE)
    bands = scales.cycle_bands(cycle=cycle)
    page = text(hr.get(address("pay_table_edit", cycle)))
    assert "Saving makes the first draft" in page

    data = {"bands": [str(band.pk) for band in bands], "top_rule": "nothing", "top_one_off_percent": "0"}
    for band in bands:
        data |= {f"band-{band.pk}-steps": "0", f"band-{band.pk}-raise_percent": "0"}
        data |= {f"band-{band.pk}-one_off_percent": "0", f"band-{band.pk}-sentence_nl": "Niets."}
    assert hr.post(address("pay_table_edit", cycle), data).status_code == 302

    draft = draft_of(cycle)
    assert (draft.version, draft.top_rule) == (1, TopRule.NOTHING)
    assert [rule[-2:] for rule in rules_of(draft)] == [("Niets.", "")] * 3


BAD_FIELDS = [
    ("b1_steps", "3", "steps", "Enter 0, 1 or 2 steps."),
    ("b1_steps", "-1", "steps", "Enter 0, 1 or 2 steps."),
    ("b1_steps", "twee", "steps", "Enter 0, 1 or 2 steps."),
    ("b1_raise_percent", "101", "raise_percent", "Enter a percentage from 0 to 100."),
    ("b1_raise_percent", "abc", "raise_percent", "Enter a percentage such as 8 or 2,5."),
    ("b1_one_off_percent", "-2", "one_off_percent", "Enter a percentage from 0 to 100."),
    ("b1_one_off_percent", "1,255", "one_off_percent", "A percentage has at most two decimals."),
    ("b1_sentence_nl", "  ", "sentence_nl", REQUIRED),
]


@pytest.mark.parametrize(("change", "typed", "field", "message"), BAD_FIELDS)
def test_bad_input_is_refused_at_its_field_and_nothing_is_saved(hr, pay, change, typed, field, message):
    with assert_nothing_changes():
        response = hr.post(address("pay_table_edit", pay.cycle), table_data(pay, **{change: typed}))

    assert response.status_code == 200
    assert field_error(response, field, form=f"band-{pay.bands[1].pk}") == message


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("top_one_off_percent", "100.01", "Enter a percentage from 0 to 100."),
        ("top_one_off_percent", "2.555", "A percentage has at most two decimals."),
        ("top_rule", "everything", "Choose what happens at the top of the scale."),
    ],
)
def test_a_bad_top_rule_is_refused_and_nothing_is_saved(hr, pay, field, typed, message):
    with assert_nothing_changes():
        response = hr.post(address("pay_table_edit", pay.cycle), table_data(pay, **{field: typed}))

    assert field_error(response, field, form="top") == message


def without_band(data, band):
    prefix = f"band-{band.pk}-"
    data = {key: value for key, value in data.items() if not key.startswith(prefix)}
    data["bands"] = [value for value in data["bands"] if value != str(band.pk)]
    return data


def test_a_crafted_post_that_skips_a_band_is_refused(hr, pay):
    with assert_nothing_changes():
        response = hr.post(address("pay_table_edit", pay.cycle), without_band(table_data(pay), pay.bands[2]))

    assert nonfield_errors(response, form="top") == [SKIPS]


def test_a_band_of_another_cycle_is_refused(hr, pay, tenant_a):
    other = scales.cycle_bands(cycle=CycleFactory(organization=tenant_a.organization))[2]
    data = without_band(table_data(pay), pay.bands[2])
    prefix = f"band-{other.pk}-"
    data |= {"bands": [*data["bands"], str(other.pk)], prefix + "steps": "1", prefix + "raise_percent": "0"}
    data |= {prefix + "one_off_percent": "0", prefix + "sentence_nl": "Een trede erbij."}

    with assert_nothing_changes():
        response = hr.post(address("pay_table_edit", pay.cycle), data)

    assert nonfield_errors(response, form="top") == [SKIPS]


def test_a_page_older_than_a_new_band_is_refused(hr, pay):
    OutcomeBand.objects.create(
        organization=pay.tenant.organization,
        cycle=pay.cycle,
        position=3,
        name_nl="Uitzonderlijk",
        name_en="Outstanding",
    )
    with assert_nothing_changes(PayTable.objects.all(), PayRule.objects.all()):
        response = hr.post(address("pay_table_edit", pay.cycle), table_data(pay))

    assert nonfield_errors(response, form="top") == [SKIPS]
    assert "Outstanding" in text(response)


def test_a_closed_cycles_pay_table_is_not_edited(hr, pay):
    pay.cycle.status = CycleStatus.CLOSED
    pay.cycle.save()

    with assert_nothing_changes():
        response = hr.post(address("pay_table_edit", pay.cycle), table_data(pay, b1_steps="2"), follow=True)
    assert shown_messages(response) == [CLOSED]
    assert shown_messages(hr.get(address("pay_table_edit", pay.cycle), follow=True)) == [CLOSED]


# --- publishing ----------------------------------------------------------------------------------------------------


def test_the_confirmation_counts_the_readers_and_says_the_old_version_stays(hr, pay, draft):
    EmployeeFactory(organization=pay.tenant.organization)  # a fifth person in the cycle
    EmployeeFactory(organization=pay.tenant.organization, is_active=False)  # not counted

    for method in ("get", "post"):
        with assert_nothing_changes():
            response = getattr(hr, method)(address("pay_table_publish", pay.cycle))
        page = text(response)
        assert response.status_code == 200
        assert "Publish version 2 of the pay table of" in page
        assert "5 people in this cycle will read it on their pay page." in page
        today = timezone.localdate()
        assert f"They will see that the pay table changed on {today.day} {today:%B} {today.year}" in page
        assert "Version 1, published on" in page and "stays in the history of this pay table." in page


def test_the_first_version_says_nobody_has_read_one_yet(hr, tenant_a):
    cycle = CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE)
    table = PayTableFactory(cycle=cycle, version=1, published_at=None)
    for band in scales.cycle_bands(cycle=cycle):
        PayRuleFactory(table=table, band=band)

    page = text(hr.get(address("pay_table_publish", cycle)))

    assert "4 people in this cycle will read it on their pay page." in page
    assert "It is the first version: until now nobody in this cycle has read a pay table." in page
    assert "changed on" not in page


def test_publishing_makes_the_draft_what_everyone_reads_and_keeps_the_old_version(hr, pay, draft):
    before = rules_of(pay.pay_table)

    response = hr.post(address("pay_table_publish", pay.cycle), CONFIRM, follow=True)

    assert shown_messages(response) == ["Version 2 of the pay table has been published."]
    draft.refresh_from_db()
    assert draft.published_at is not None and draft.published_by == pay.tenant.hr
    assert rules_of(pay.pay_table) == before
    pay.pay_table.refresh_from_db()
    assert pay.pay_table.is_published
    assert [version.number for version in selectors_table.versions(cycle=pay.cycle)] == [2, 1]
    assert selectors_table.changed_at(cycle=pay.cycle) == draft.published_at
    entry = audit_entries(PayTable, object_id=draft.pk, action=AuditEntry.Action.UPDATE).get()
    assert "published_at" in entry.changes and entry.actor_employee == pay.tenant.hr


def test_changed_at_is_empty_for_a_first_version(pay):
    assert selectors_table.changed_at(cycle=pay.cycle) is None
    assert [version.number for version in selectors_table.versions(cycle=pay.cycle)] == [1]


def test_a_post_without_the_confirmation_publishes_nothing(hr, pay, draft):
    with assert_nothing_changes():
        hr.post(address("pay_table_publish", pay.cycle), {"confirm": "no"})


def test_a_draft_that_skips_a_band_is_not_published(hr, pay, draft):
    OutcomeBand.objects.create(
        organization=pay.tenant.organization,
        cycle=pay.cycle,
        position=3,
        name_nl="Uitzonderlijk",
        name_en="Outstanding",
    )
    with assert_nothing_changes():
        response = hr.post(address("pay_table_publish", pay.cycle), CONFIRM, follow=True)

    assert shown_messages(response) == ["The draft gives no rule for “Outstanding”. Edit the draft first."]


def test_publishing_without_a_draft_is_refused(hr, pay):
    with assert_nothing_changes():
        response = hr.post(address("pay_table_publish", pay.cycle), CONFIRM, follow=True)

    assert shown_messages(response) == [
        "There is no draft to publish. It may have been published or discarded meanwhile."
    ]


def test_a_closed_cycles_draft_is_not_published(hr, pay, draft):
    pay.cycle.status = CycleStatus.CLOSED
    pay.cycle.save()
    with assert_nothing_changes():
        response = hr.post(address("pay_table_publish", pay.cycle), CONFIRM, follow=True)

    assert shown_messages(response) == [CLOSED]


# --- discarding ----------------------------------------------------------------------------------------------------


def test_the_discard_confirmation_says_what_goes_and_what_stays(hr, pay, draft):
    with assert_nothing_changes():
        page = text(hr.get(address("pay_table_discard", pay.cycle)))

    assert "The draft of version 2 is deleted, with what it says for 3 outcome bands." in page
    assert "Nobody has read the draft, so nothing changes for anyone." in page
    assert "Version 1, published on" in page and "stays what everyone reads." in page


def test_discarding_deletes_the_draft_and_its_rules_only(hr, pay, draft):
    before = rules_of(pay.pay_table)
    rule_ids = list(draft.rules.values_list("pk", flat=True))

    response = hr.post(address("pay_table_discard", pay.cycle), CONFIRM, follow=True)

    assert shown_messages(response) == ["The draft of version 2 has been discarded."]
    assert not PayTable.objects.filter(pk=draft.pk).exists()
    assert not PayRule.objects.filter(pk__in=rule_ids).exists()
    assert rules_of(pay.pay_table) == before
    assert audit_entries(PayTable, object_id=draft.pk, action=AuditEntry.Action.DELETE).count() == 1
    assert audit_entries(PayRule, object_id__in=rule_ids, action=AuditEntry.Action.DELETE).count() == 3


def test_discarding_without_a_draft_is_refused(hr, pay):
    with assert_nothing_changes():
        response = hr.post(address("pay_table_discard", pay.cycle), CONFIRM, follow=True)

    assert shown_messages(response) == [
        "There is no draft to discard. It may have been published or discarded meanwhile."
    ]


# --- the service refuses what a crafted call would slip past the form ----------------------------------------------


def test_the_service_refuses_a_value_outside_its_limits_and_saves_nothing(pay, english):
    rules = {band.pk: RuleInput(sentence_nl="Iets.") for band in pay.bands}
    rules[pay.bands[1].pk] = RuleInput(steps=3, raise_percent=Decimal("100.5"), sentence_nl="Iets.")

    with assert_nothing_changes(), pytest.raises(ValidationError) as refused:
        pay_table_draft_save(cycle=pay.cycle, top_rule="one_off", top_one_off_percent=Decimal("101"), rules=rules)

    prefix = f"band-{pay.bands[1].pk}-"
    assert {prefix + "steps", prefix + "raise_percent", "top_one_off_percent"} <= set(refused.value.message_dict)


def test_the_service_refuses_rules_that_skip_a_band(pay, english):
    rules = {band.pk: RuleInput(sentence_nl="Iets.") for band in pay.bands[:2]}

    with assert_nothing_changes(), pytest.raises(ValidationError) as refused:
        pay_table_draft_save(cycle=pay.cycle, top_rule="one_off", top_one_off_percent=Decimal("0"), rules=rules)

    assert refused.value.messages == [SKIPS]
