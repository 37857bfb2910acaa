"""Forms for sharpening: a suggestion of better wording, and the reply that accepts or declines one.

Only the text is read from the request: the expectation comes from the
address (checked against the audience) and the suggestion's language is the
language the person is reading the page in, so nothing else can be tampered with.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Suggestion

TEXT_MAX = Suggestion._meta.get_field("text").max_length
WHY_MAX = Suggestion._meta.get_field("why").max_length
REPLY_MAX = Suggestion._meta.get_field("reply").max_length


class SuggestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your wording of the observable behaviour"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you would see or hear someone do. Write it as you would like to read it."),
        error_messages={"required": _("Write the wording you suggest.")},
    )
    why = forms.CharField(
        label=_("Why this is clearer (optional)"),
        max_length=WHY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, language_name=None, **kwargs):
        super().__init__(*args, **kwargs)
        if language_name:
            self.fields["text"].help_text = _(
                "What you would see or hear someone do. When accepted, it replaces the wording in %(language)s."
            ) % {"language": language_name}


class ReplyForm(forms.Form):
    """The reply to the author: optional when accepting, required when declining."""

    reply = forms.CharField(
        label=_("Reply to the author"),
        max_length=REPLY_MAX,
        required=False,
        error_messages={"required": _("Tell the author why, in a sentence or two.")},
    )

    def __init__(self, *args, required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply"].required = required
