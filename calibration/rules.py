"""Rules of calibration: HR calibrates; managers read their own team's outcomes against the organisation's; everyone
reads "The rules here"."""

import rules

from organizations.permissions import is_hr_admin, is_manager

CALIBRATE = "calibration.calibrate"  # the calibration page, thresholds, window, moves, export, the HR cockpit
SEE_OWN_DISTRIBUTION = "calibration.see_own_distribution"  # a manager's outcomes against the organisation's
READ_THE_RULES = "calibration.read_the_rules"  # "The rules here": every member

rules.add_rule(CALIBRATE, is_hr_admin)
rules.add_rule(SEE_OWN_DISTRIBUTION, is_manager | is_hr_admin)
rules.add_rule(READ_THE_RULES, rules.always_allow)
