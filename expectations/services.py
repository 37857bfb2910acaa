"""State changes of expectations: writing and the lifecycle; suggestions and endorsements are in services_sharpening,
HR's configuration in services_config.

Each service owns its transaction and validates first. Who may make a change,
and from which status, is decided in expectations.rules: a service tests the
same rule (when it knows the actor) or the same status set (in the conditional
update of a move) on the row it holds, so a crafted POST is refused exactly
where the page shows no button.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.i18n import bilingual_names, require_in_language
from core.states import move_state
from organizations import audit
from organizations.models import Employee, Organization, Team
from organizations.permissions import can

from . import selectors
from .cap import over_cap
from .models import (
    CoreValue,
    Expectation,
    ExpectationVersion,
    Status,
    StrategicGoal,
    example_lines,
)
from .rules import EDIT_EXPECTATION, MANAGE_EXPECTATIONS, PUBLISHED, SHARPENING, UNPUBLISHED
from .services_config import (  # noqa: F401  (the configuration services, under this app's one services name)
    core_value_delete,
    core_value_save,
    group_name,
    not_counted_delete,
    not_counted_save,
    organization_cap_set,
    over_cap_message,
    strategic_goal_delete,
    strategic_goal_save,
    stripped,
)
from .services_sharpening import (  # noqa: F401, E402  (the sharpening services, under the same name)
    endorsement_add,
    suggestion_accept,
    suggestion_create,
    suggestion_decline,
)

VERSION_FIELDS = bilingual_names(("title", "behaviour", "examples_yes", "examples_not_yet"))


class OverCap(ValidationError):
    """Publishing (or a published edit) would give someone more expectations than the cap; the expectation's page
    says what to do next (expectations.cap.next_step)."""


def check_cap(*, organization: Organization, expectation: Expectation) -> None:
    """Refuse when ``expectation``, published with its current audience, pushes anyone over the cap."""
    over = over_cap(organization=organization, expectation=expectation)
    if over:
        raise OverCap(over_cap_message(over=over, cap=organization.expectation_cap))


def weight_is_off(group) -> bool:
    """Whether a group of people (selectors.groups) has published weights that do not add up to 100 %."""
    return bool(group.people and group.count and group.weight != 100)


def weight_warning(group) -> str:
    """The sentence for a group whose weights are off, saying how to fix it."""
    return _(
        "For %(team)s the weights add up to %(total)d %%; change them by %(difference)+d points "
        "so they add up to 100 %%."
    ) % {"team": group_name(group), "total": group.weight, "difference": 100 - group.weight}


def weight_warnings(*, organization: Organization, groups=None) -> list[str]:
    """One sentence per group of people whose published weights do not add up to 100 %, saying how to fix it.

    ``groups``: selectors.groups as the caller already has them (computed when not given)."""
    groups = selectors.groups(organization=organization) if groups is None else groups
    return [weight_warning(group) for group in groups if weight_is_off(group)]


def _set_audience(expectation: Expectation, for_everyone: bool, teams) -> None:
    teams = list(teams or [])
    if any(team.organization_id != expectation.organization_id for team in teams):
        raise ValidationError({"teams": _("Choose teams of this organisation.")})
    if not for_everyone and not teams:
        raise ValidationError({"teams": _("Choose at least one team, or the whole organisation.")})
    expectation.for_everyone = for_everyone
    expectation.save(update_fields=["for_everyone"])
    expectation.teams.set([] if for_everyone else teams)


def _check_core_value(organization: Organization, core_value: CoreValue, strategic_goal: StrategicGoal | None):
    if core_value.organization_id != organization.pk:
        raise ValidationError({"core_value": _("Choose a core value of this organisation.")})
    if strategic_goal is not None and strategic_goal.organization_id != organization.pk:
        raise ValidationError({"strategic_goal": _("Choose a strategic goal of this organisation.")})


def _manager_audience(actor: Employee) -> list[Team]:
    if actor.team_id is None:
        raise ValidationError(_("You are not in a team, so you cannot propose an expectation for your team."))
    return [actor.team]


@transaction.atomic
def expectation_create(
    *,
    organization: Organization,
    actor: Employee,
    core_value: CoreValue,
    for_everyone: bool = True,
    teams=(),
    strategic_goal: StrategicGoal | None = None,
    weight: int = 20,
    **wording,
) -> Expectation:
    """Write a draft expectation (version 1).

    A manager's proposal is always for their own team. The cap limits only
    publishing, so a draft is saved even when the team already has as many
    published expectations as the cap allows; its page then says what has to
    happen before it can be published (expectations.cap.next_step).

    Not idempotent: each call writes a new draft.
    """
    _check_core_value(organization, core_value, strategic_goal)
    proposed_by = None
    if not can(actor, MANAGE_EXPECTATIONS):
        teams, for_everyone, proposed_by = _manager_audience(actor), False, actor
    expectation = Expectation.objects.create(
        organization=organization, core_value=core_value, status=Status.DRAFT, proposed_by=proposed_by
    )
    version = ExpectationVersion(
        organization=organization,
        expectation=expectation,
        number=1,
        weight=weight,
        strategic_goal=strategic_goal,
        created_by=actor,
        **stripped(wording),
    )
    require_in_language(version, organization.language, "title")
    version.full_clean(exclude=["expectation"])
    version.save()
    expectation.current_version = version
    expectation.save(update_fields=["current_version"])
    _set_audience(expectation, for_everyone, teams)
    return expectation


@transaction.atomic
def expectation_update(
    *,
    expectation: Expectation,
    actor: Employee,
    core_value: CoreValue,
    for_everyone: bool = True,
    teams=(),
    strategic_goal: StrategicGoal | None = None,
    weight: int = 20,
    **wording,
) -> Expectation:
    """Change an expectation.

    A draft or an expectation in sharpening is edited in place (a change of
    wording resets "clear to me", which endorsed the old words). A published
    one gets a new version that is in force at once; the old version stays as
    it was for anything that cites it. A retired expectation cannot change.
    """
    organization = expectation.organization
    _check_core_value(organization, core_value, strategic_goal)
    expectation = Expectation.objects.select_for_update().get(pk=expectation.pk)
    # The rule of the edit button, on the locked row: HR published or retired it while the form was open.
    if not can(actor, EDIT_EXPECTATION, expectation):
        if expectation.status == Status.RETIRED:
            raise ValidationError(_("A retired expectation cannot be changed."))
        if expectation.status == Status.PUBLISHED:
            raise ValidationError(_("HR has published this expectation; only HR changes it now."))
        raise PermissionDenied  # neither HR nor the proposing manager: the view has answered 403 before this
    current = expectation.current_version
    wording = stripped(wording)
    changed_wording = any(getattr(current, name) != value for name, value in wording.items())
    if not can(actor, MANAGE_EXPECTATIONS):
        for_everyone, teams = False, _manager_audience(actor)
    if expectation.status == Status.PUBLISHED:
        version = ExpectationVersion(
            organization=organization,
            expectation=expectation,
            number=current.number + 1,
            created_by=actor,
            published_at=timezone.now(),
            **{name: getattr(current, name) for name in VERSION_FIELDS},
        )
    else:
        version = current
    for name, value in wording.items():
        setattr(version, name, value)
    version.weight = weight
    version.strategic_goal = strategic_goal
    require_in_language(version, organization.language, "title")
    if expectation.status == Status.PUBLISHED:
        require_publishable(version, organization)
    version.full_clean(exclude=["expectation"])
    version.save()
    expectation.core_value = core_value
    expectation.current_version = version
    if changed_wording and expectation.status != Status.PUBLISHED:
        expectation.wording_revision += 1
    expectation.save(update_fields=["core_value", "current_version", "wording_revision"])
    _set_audience(expectation, for_everyone, teams)
    if expectation.status == Status.PUBLISHED:
        expectation.refresh_from_db()
        check_cap(organization=organization, expectation=expectation)
    return expectation


def require_publishable(version: ExpectationVersion, organization: Organization) -> None:
    """Publishing needs the observable behaviour and at least one example of each kind."""
    language = organization.language
    errors = {}
    if not version.behaviour_nl.strip() and not version.behaviour_en.strip():
        errors[f"behaviour_{language}"] = _("Describe the observable behaviour before publishing.")
    if not example_lines(version.examples_yes_nl) and not example_lines(version.examples_yes_en):
        errors[f"examples_yes_{language}"] = _("Give at least one “this is it” example before publishing.")
    if not example_lines(version.examples_not_yet_nl) and not example_lines(version.examples_not_yet_en):
        errors[f"examples_not_yet_{language}"] = _("Give at least one “not yet” example before publishing.")
    if errors:
        raise ValidationError(errors)


def _move(expectation: Expectation, allowed_from: frozenset[str], to: str, **fields) -> None:
    """A conditional update, so two people acting at once cannot both move the same expectation.

    ``allowed_from`` is the status set of the step's rule in expectations.rules, so the step is refused
    exactly when its button is not shown (and a move made meanwhile by someone else counts too).
    """
    if not move_state(Expectation, expectation.pk, allowed_from, to, **fields):
        raise ValidationError(_("Someone else changed this expectation in the meantime; look again."))
    audit.record_update(expectation, status=to, **fields)
    expectation.refresh_from_db()


@transaction.atomic
def expectation_sharpen(*, expectation: Expectation, closes_on) -> Expectation:
    """Open a draft to its audience for suggestions until ``closes_on`` (today or later).

    Twice: the second only moves the closing date (a sharpening one stays sharpening).
    """
    if closes_on < timezone.localdate():
        raise ValidationError({"closes_on": _("The closing date is in the past; choose today or a later date.")})
    _move(expectation, UNPUBLISHED, Status.SHARPENING, sharpening_closes_on=closes_on)
    return expectation


@transaction.atomic
def expectation_back_to_draft(*, expectation: Expectation) -> Expectation:
    """Close sharpening early; suggestions and endorsements stay. Twice: the second is refused, the state moved on."""
    _move(expectation, SHARPENING, Status.DRAFT)
    return expectation


@transaction.atomic
def expectation_publish(*, expectation: Expectation) -> list[str]:
    """Publish a draft or sharpened expectation.

    Refused when the wording is incomplete or when anyone in the audience
    would get more applicable expectations than the organisation's cap.
    Returns the weight warnings that hold after publishing (they do not block).

    Twice: the second is refused, the state moved on (conditional update).
    """
    organization = expectation.organization
    # Lock only the expectation's row: PostgreSQL cannot lock the nullable side of the join to its version.
    rows = Expectation.objects.select_for_update(of=("self",)).select_related("current_version")
    expectation = rows.get(pk=expectation.pk)
    if expectation.status not in UNPUBLISHED:
        raise ValidationError(_("Only a draft or an expectation in sharpening can be published."))
    require_publishable(expectation.current_version, organization)
    check_cap(organization=organization, expectation=expectation)
    now = timezone.now()
    ExpectationVersion.objects.filter(pk=expectation.current_version_id).update(published_at=now)
    _move(expectation, UNPUBLISHED, Status.PUBLISHED, published_at=now)
    return weight_warnings(organization=organization)


@transaction.atomic
def expectation_retire(*, expectation: Expectation) -> Expectation:
    """Take a published expectation out of use; it stays readable with all its versions.

    Twice: the second is refused, the state moved on.
    """
    _move(expectation, PUBLISHED, Status.RETIRED, retired_at=timezone.now())
    return expectation


@transaction.atomic
def expectation_delete(*, expectation: Expectation) -> None:
    """Delete a draft that was never published (published ones are retired instead, to keep history).

    Twice: the second finds nothing to delete.
    """
    if expectation.status not in UNPUBLISHED:
        raise ValidationError(_("Only a draft can be deleted; retire a published expectation instead."))
    Expectation.objects.filter(pk=expectation.pk).update(current_version=None)
    expectation.delete()
