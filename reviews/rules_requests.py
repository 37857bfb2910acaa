"""Rules of reviews: observation requests to colleagues (see reviews/rules.py).

Who asks about whom: an HR admin about anyone, a manager about their reports,
everyone about themselves (a request for an observation about oneself). Who
sees a request: the colleague asked, whoever asked, HR, the person's manager
and the person it is about; views answer 404 to anyone else. Only the colleague
answers or declines, and only while it is open; whoever asked, or HR,
withdraws it while it is open. The colleague never sees more than the request
itself and the expectation's published text (reviews.views_requests).
"""

import rules

from organizations.permissions import is_hr_admin, is_self

from .models import ObservationRequest
from .rules import is_about_self, manages_its_person, manages_person


@rules.predicate
def is_colleague_asked(employee, request):
    return employee is not None and request is not None and request.colleague_id == employee.pk


@rules.predicate
def is_asker(employee, request):
    return employee is not None and request is not None and request.asked_by_id == employee.pk


@rules.predicate
def is_open(employee, request):
    return request is not None and request.state == ObservationRequest.State.OPEN


ASK_FOR_OBSERVATION = "reviews.ask_for_observation"  # about a person (an Employee)
SEE_REQUEST = "reviews.see_request"
ANSWER_REQUEST = "reviews.answer_request"  # answer or decline
WITHDRAW_REQUEST = "reviews.withdraw_request"

rules.add_rule(ASK_FOR_OBSERVATION, is_hr_admin | manages_person | is_self)
rules.add_rule(SEE_REQUEST, is_colleague_asked | is_asker | is_hr_admin | manages_its_person | is_about_self)
rules.add_rule(ANSWER_REQUEST, is_colleague_asked & is_open)
rules.add_rule(WITHDRAW_REQUEST, (is_asker | is_hr_admin) & is_open)
