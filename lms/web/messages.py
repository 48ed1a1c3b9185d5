"""Messages the learning layer (which knows no Flask) words in English, shown in the reader's language.

Labels are looked up by key; stored or raised texts are matched against the known wordings and given back
translated. A new wording in the learning layer shows up in English until it is added here (the pseudo-language
test finds it on the pages it crawls).
"""
from __future__ import annotations

import re

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from lms.learning.cohorts import NOT_STARTED, STARTED
from lms.learning.queue import INACTIVE_DAYS

# Labels the learning layer gives in English (cohort statuses, the trainers' queue, the kinds of notification);
# the templates show them through these.
COHORT_STATUS_LABELS = {NOT_STARTED: _l("Not started"), STARTED: _l("In progress")}
QUEUE_LABELS = {
    "plan": _l("Pilot plan to comment on"), "report": _l("Pilot report to comment on"),
    "failed": _l("Failed the final assessment twice"), "inactive": _l("Inactive for %(days)s days", days=INACTIVE_DAYS),
}
NOTIFY_LABELS = {
    "comment": _l("A trainer commented on my pilot plan or report"), "certificate": _l("My certificate was issued"),
    "refresher": _l("My refresher training opens"),
    "submitted": _l("A learner submitted a pilot plan or report for feedback (trainers)"),
    "reply": _l("A learner replied to a comment (trainers)"),
}

# Notifications are stored in English by the learning layer (lms/learning/notify.py); these patterns show them in
# the reader's language. A new wording there shows up in English until added here.
NOTIFICATIONS = (
    (re.compile(r"^(?P<name>.+) commented on your pilot plan$"), _l("%(name)s commented on your pilot plan")),
    (re.compile(r"^(?P<name>.+) commented on your pilot report$"), _l("%(name)s commented on your pilot report")),
    (re.compile(r"^(?P<name>.+) replied about their pilot plan$"), _l("%(name)s replied about their pilot plan")),
    (re.compile(r"^(?P<name>.+) replied about their pilot report$"), _l("%(name)s replied about their pilot report")),
    (re.compile(r"^(?P<name>.+) submitted their pilot plan$"), _l("%(name)s submitted their pilot plan")),
    (re.compile(r"^(?P<name>.+) submitted their pilot report$"), _l("%(name)s submitted their pilot report")),
    (re.compile(r"^Your refresher certificate was issued$"), _l("Your refresher certificate was issued")),
    (re.compile(r"^Your core training certificate was issued$"), _l("Your core training certificate was issued")),
    (re.compile(r"^Your refresher training is open$"), _l("Your refresher training is open")),
)


def known_wording(text: str, wordings, translate_values: tuple[str, ...] = ()) -> str:
    """`text` in the reader's language when it matches one of `wordings` (pattern, translated message), else as it is.

    Values captured under the names in `translate_values` (a field's label) are translated too.
    """
    for pattern, message in wordings:
        match = pattern.match(text or "")
        if match:
            values = {k: gettext(v) if k in translate_values else v for k, v in match.groupdict().items()}
            return str(message) % values if values else str(message)
    return text


def notification_text(text: str) -> str:
    return known_wording(text, NOTIFICATIONS)


# The quiz attempts (lms/learning/attempts.py, no Flask) word their refusals in English; shown through these.
ATTEMPT_ERRORS = (
    (re.compile(r"^This attempt was already submitted; its answers can no longer change, so nothing was changed\.$"),
     _l("This attempt was already submitted; its answers can no longer change, so nothing was changed.")),
    (re.compile(r"^You have used all (?P<count>\d+) attempts at this quiz\.$"), _l("You have used all %(count)s attempts at this quiz.")),
    (re.compile(r"^The form has an answer to a question that is not in this attempt\.$"),
     _l("The form has an answer to a question that is not in this attempt.")),
    (re.compile(r"^An answer in the form is not one of the choices offered \((?P<detail>.*)\)\.$"),
     _l("An answer in the form is not one of the choices offered (%(detail)s).")),
)

# Refusals of the account layer (lms/learning/accounts.py, credentials.py, inputs.py), shown in the reader's language.
ACCOUNT_ERRORS = (
    (re.compile(r"^the two new passwords are not the same$"), _l("the two new passwords are not the same")),
    (re.compile(r"^the password is empty or only spaces$"), _l("the password is empty or only spaces")),
    (re.compile(r"^the password must have at least (?P<count>\d+) characters$"), _l("the password must have at least %(count)s characters")),
    (re.compile(r"^the password is too long \(at most (?P<count>\d+) characters\)$"),
     _l("the password is too long (at most %(count)s characters)")),
    (re.compile(r"^the password contains control characters$"), _l("the password contains control characters")),
    (re.compile(r"^the name is empty$"), _l("the name is empty")),
    (re.compile(r"^the email address is empty$"), _l("the email address is empty")),
    (re.compile(r"^the cohort name is empty$"), _l("the cohort name is empty")),
    (re.compile(r"^(?P<email>\S+) is not an email address$"), _l("%(email)s is not an email address")),
    (re.compile(r"^an account for (?P<email>\S+) already exists$"), _l("an account for %(email)s already exists")),
    (re.compile(r"^This link has already been used or is not valid\. Ask for a new link\.$"),
     _l("This link has already been used or is not valid. Ask for a new link.")),
    (re.compile(r"^This link has already been used or is not valid\. Ask your administrator for a new invitation\.$"),
     _l("This link has already been used or is not valid. Ask your administrator for a new invitation.")),
    (re.compile(r"^This link has expired\. Ask for a new link\.$"), _l("This link has expired. Ask for a new link.")),
    (re.compile(r"^This link has expired\. Ask your administrator for a new invitation\.$"),
     _l("This link has expired. Ask your administrator for a new invitation.")),
    (re.compile(r"^This account cannot sign in\. Ask your trainer or administrator\.$"),
     _l("This account cannot sign in. Ask your trainer or administrator.")),
    (re.compile(r"^This link has already been used\.$"), _l("This link has already been used.")),
)


def learning_message(text: object) -> str:
    """A message the learning layer wrote in English, in the reader's language where its wording is known."""
    return known_wording(str(text), (*ATTEMPT_ERRORS, *ACCOUNT_ERRORS))
