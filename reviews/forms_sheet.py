"""The self-reflection form: one textarea per question of the moment, labelled with the question."""

from django import forms

from .services_sheet import ANSWER_LIMIT

DRAFT, SUBMIT = "draft", "submit"


class ReflectionForm(forms.Form):
    """``answer_0`` … ``answer_<n>``, one per question. The button pressed (``action``: DRAFT or SUBMIT) says
    whether to save a draft or submit.

    The limit is the service's (ANSWER_LIMIT); the form checks it first, so a too long answer is a field error
    in the person's language (Django's own, translated message) before anything is saved.
    """

    def __init__(self, *args, questions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions):
            self.fields[f"answer_{number}"] = forms.CharField(
                label=question,
                required=False,
                strip=False,
                max_length=ANSWER_LIMIT,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    @classmethod
    def initial_for(cls, answers: list[str]) -> dict:
        return {f"answer_{number}": answer for number, answer in enumerate(answers)}

    def answer_fields(self):
        return [self[f"answer_{number}"] for number in range(len(self.questions))]

    def service_arguments(self, *, submit: bool) -> dict:
        """Keyword arguments for services_sheet.reflection_save."""
        answers = [self.cleaned_data.get(f"answer_{number}", "") for number in range(len(self.questions))]
        return {"questions": self.questions, "answers": answers, "submit": submit}
