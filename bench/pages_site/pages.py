"""The pages bench/pages.py measures, for one organisation: who opens each and its address (ids from the database).

The main pages of every role (with their goal, a multiple of the bare page), then the reviews pages, every
home page and the pay pages. The people: the HR admin, a manager and one of their reports (who also has an
observation request to answer).
"""

from dataclasses import dataclass

from django.urls import reverse

from cycles import services as cycle_services
from cycles.models import Conversation, Cycle, CycleStatus
from organizations.models import Employee
from reviews.models import Review, ReviewState

HTMX = {"HX-Request": "true"}
DEMO_LOGINS = ("hr@example.com", "manager@example.com", "employee@example.com")


def logins(slug: str) -> tuple[str, str, str]:
    """The HR admin, manager and employee whose pages are measured: the demo's, or the large demo's (any slug)."""
    if slug == "demo":
        return DEMO_LOGINS
    return (f"hr@{slug}.example", f"manager1@{slug}.example", f"employee1@{slug}.example")


@dataclass
class Page:
    name: str  # one row of the table
    who: str
    size: str
    path: str
    browser: object
    goal: str = ""
    headers: dict | None = None  # HX-Request for a part that a page loads after itself with htmx

    @property
    def key(self):
        return (self.name, self.size)


def pages_of(new_browser, sizes: dict) -> list[Page]:
    """Every page for every size ({size label: organisation slug}), each with a browser of its person.

    ``new_browser(employee)`` gives a browser logged in as ``employee``; ``new_browser(None)`` one without a login.
    """
    pages = []
    for size, slug in sizes.items():
        hr, manager, employee = (
            Employee.objects.select_related("organization", "user").get(organization__slug=slug, user__email=email)
            for email in logins(slug)
        )
        organization = hr.organization
        browsers = {"HR": new_browser(hr), "manager": new_browser(manager), "employee": new_browser(employee)}
        browsers["manager, feed"] = new_browser(None)  # the address is the key: no login
        cycle = Cycle.objects.filter(organization=organization, status=CycleStatus.ACTIVE).latest("starts_on")
        review = (
            Review.objects.filter(organization=organization, employee=employee)
            .exclude(state=ReviewState.DRAFT)
            .latest("created_at")
        )
        reviewed = review.cycle  # demo: last year's (this year's has no reviews yet); groot: this year's
        sheet = Conversation.objects.get(
            organization=organization, employee=employee, moment__cycle=cycle, moment__produces_rating=True
        )
        token = cycle_services.feed_for(employee=manager).token

        def at(name, slug=slug, **kwargs):
            return reverse(name, kwargs={"org_slug": slug, **kwargs})

        rows = [
            ("bare Django page (TemplateView)", "employee", "/bench/bare/", ""),
            ("empty org page (door and layout)", "employee", f"/bench/o/{slug}/empty/", ""),
            ("HR cycle progress", "HR", at("cycles:cycle_progress", cycle_id=cycle.pk), "≤ 5×"),
            ("cycle progress: teams part (htmx)", "HR", at("cycles:cycle_progress_teams", cycle_id=cycle.pk), ""),
            ("cycle progress: overdue part (htmx)", "HR", at("cycles:cycle_progress_overdue", cycle_id=cycle.pk), ""),
            ("team grid with coverage", "manager", at("cycles:team_grid"), "≤ 2.5×"),
            ("team grid: evidence part (htmx)", "manager", at("reviews:team_coverage", cycle_id=cycle.pk), ""),
            ("HR people list", "HR", at("organizations:people_list"), "≤ 4×"),
            ("HR expectations index", "HR", at("expectations:index"), "≤ 4×"),
            ("HR reminders", "HR", at("cycles:reminders", cycle_id=cycle.pk), "≤ 4×"),
            ("reminders: log part (htmx)", "HR", at("cycles:reminders", cycle_id=cycle.pk) + "?status=planned", ""),
            ("calendar feed", "manager, feed", reverse("calendar_feed", kwargs={"token": token}), "≤ 2.5×"),
            ("home", "employee", at("organizations:home"), "≤ 1.5×"),
            ("what is expected of me", "employee", at("expectations:mine"), "≤ 2×"),
            ("home", "manager", at("organizations:home"), ""),
            ("home", "HR", at("organizations:home"), ""),
            ("what was seen", "employee", at("reviews:what_was_seen"), ""),
            ("a person's observations", "manager", at("reviews:person_observations", employee_id=employee.pk), ""),
            ("observation form", "manager", at("reviews:observation_create", employee_id=employee.pk), ""),
            ("review", "manager", at("reviews:review", review_id=review.pk), ""),
            ("review", "employee", at("reviews:review", review_id=review.pk), ""),
            ("conversation sheet", "manager", at("cycles:conversation_detail", conversation_id=sheet.pk), ""),
            ("outcome rule", "employee", at("reviews:outcome_rule"), ""),
            ("cycle reviews", "HR", at("reviews:cycle_reviews", cycle_id=reviewed.pk), ""),
            ("rating scale", "HR", at("reviews:rating_scale"), ""),
            ("outcome bands", "HR", at("reviews:outcome_bands", cycle_id=reviewed.pk), ""),
            ("requests to answer", "employee", at("reviews:request_list"), ""),
            ("what my outcome means", "employee", at("pay:mine"), ""),
            ("what the outcomes mean for a report", "HR", at("pay:person_outcomes", employee_id=employee.pk), ""),
            ("pay overview", "HR", at("pay:index"), ""),
            ("salary scales", "HR", at("pay:scales"), ""),
            ("placements", "HR", at("pay:placements"), ""),
            ("pay table", "HR", at("pay:pay_table", cycle_id=cycle.pk), ""),
            ("budget", "HR", at("pay:budget", cycle_id=cycle.pk), ""),
            ("payroll export", "HR", at("pay:export", cycle_id=cycle.pk), ""),
            ("payroll export CSV", "HR", at("pay:export_csv", cycle_id=cycle.pk), ""),
            ("calibration", "HR", at("calibration:calibration", cycle_id=cycle.pk), "≤ 5×"),
            ("calibration window", "HR", at("calibration:window", cycle_id=cycle.pk), ""),
            ("HR cockpit", "HR", at("calibration:cockpit"), "≤ 5×"),
            ("cockpit: calibration part", "HR", at("calibration:cockpit_calibration", cycle_id=cycle.pk), ""),
            ("cockpit: budget part", "HR", at("calibration:cockpit_budget", cycle_id=cycle.pk), ""),
            ("my team's outcomes", "manager", at("calibration:mine"), ""),
            ("the rules here", "employee", at("calibration:rules"), ""),
        ]
        pages += [
            Page(f"{label} ({who})", who, size, path, browsers[who], goal, HTMX if "(htmx)" in label else None)
            for label, who, path, goal in rows
        ]
    return pages
