"""The field pages' forms: a contact with the difficulties it raised, a case logged for a centre.

They check the shape of the input only (types, lengths, choices); the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from centres.models import ContactKind, ContactRecord
from core.time import EARLIEST_RECORDED_DAY, local_today
from policies.models import Measure, Programme

DIFFICULTY_ROWS = 3
MAX_DOCUMENTS = 10
TOO_MANY_DOCUMENTS = _("Attach at most %(count)s documents at once.")


class MeasureChoiceField(forms.ModelChoiceField):
    """A measure of the Shanghai plan, named by its number and plain-language title."""

    def label_from_instance(self, obj: Measure) -> str:
        return _measure_label(obj)


def shanghai_measures():
    return Measure.objects.filter(programme=Programme.SHANGHAI_2024, is_active=True).order_by("number")


class DateInput(forms.DateInput):
    """The browser's date picker, which reads and sends ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ContactForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Way of contact"), choices=ContactKind.choices, initial=ContactKind.VISIT
    )
    contacted_on = forms.DateField(label=_("Date of contact"), widget=DateInput)
    participants = forms.CharField(
        label=_("People met"), max_length=ContactRecord._meta.get_field("participants").max_length
    )
    summary = forms.CharField(
        label=_("Notes"),
        max_length=ContactRecord._meta.get_field("summary").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = local_today()
        self.fields["contacted_on"].initial = today
        self.fields["contacted_on"].widget.attrs.update(
            {"max": today.isoformat(), "min": EARLIEST_RECORDED_DAY.isoformat()}
        )


class DifficultyForm(forms.Form):
    """A difficulty the centre raised; ticked, it is logged as a case in the same submission."""

    title = forms.CharField(
        label=_("Difficulty"), max_length=Case._meta.get_field("title").max_length, required=False
    )
    description = forms.CharField(
        label=_("Details"),
        max_length=Case._meta.get_field("description").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    measure = forms.ChoiceField(label=_("Measure"), required=False)
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Case._meta.get_field("urgency").choices, initial="normal", required=False
    )
    log_as_case = forms.BooleanField(label=_("Log as a case"), required=False)

    def __init__(self, *args, measures: dict[str, Measure], **kwargs):
        super().__init__(*args, **kwargs)
        self.measures = measures
        self.fields["measure"].choices = [("", "—"), *((pk, _measure_label(m)) for pk, m in measures.items())]

    def clean_measure(self):
        return self.measures.get(self.cleaned_data.get("measure") or "")

    def clean(self):
        data = super().clean()
        if data.get("log_as_case"):
            if not (data.get("title") or "").strip():
                self.add_error("title", _("Name the difficulty to log it as a case."))
            if not data.get("measure") and "measure" not in self.errors:
                self.add_error("measure", _("Choose the measure the difficulty falls under."))
        return data


def _measure_label(measure: Measure) -> str:
    return f"{measure.number}. {measure.title}"


def difficulty_forms(data=None) -> list[DifficultyForm]:
    """The form's difficulty rows; the measures are read once for all of them."""
    measures = {str(measure.pk): measure for measure in shanghai_measures()}
    return [DifficultyForm(data, prefix=f"d{index}", measures=measures) for index in range(DIFFICULTY_ROWS)]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_DOCUMENTS:
            raise forms.ValidationError(TOO_MANY_DOCUMENTS % {"count": MAX_DOCUMENTS})
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class CaseLogForm(forms.Form):
    measure = MeasureChoiceField(label=_("Measure"), queryset=Measure.objects.none())
    title = forms.CharField(label=_("Difficulty"), max_length=Case._meta.get_field("title").max_length)
    description = forms.CharField(
        label=_("Details"),
        max_length=Case._meta.get_field("description").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Case._meta.get_field("urgency").choices, initial="normal"
    )
    is_confidential = forms.BooleanField(label=_("Confidential (only those who must see it)"), required=False)
    documents = MultipleFileField(label=_("Documents"), required=False)
    contact_record = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = shanghai_measures()
