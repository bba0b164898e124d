"""The policy landing pages' forms: a briefing, a campaign, a benefit, a question logged as a case,
a finding's outcome.

They check the shape of the input only (types, lengths, choices, the centres the user may name);
the rules are the services' (`landing.services`, `assessments.services.findings`)."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from assessments.models import Finding
from cases.models import Case
from centres.models import Centre, CentreType
from commissioners.models import Bureau, Role, User
from core.time import EARLIEST_RECORDED_DAY, local_today
from landing.models import Benefit, BenefitStatus, Briefing, BriefingCampaign, BriefingFormat
from landing.selectors import centres_to_name
from policies.models import Measure, Programme

MAX_MATERIALS = 10
TOO_MANY_MATERIALS = _("Attach at most %(count)s documents at once.")
INT_MAX = 2_147_483_647


def measure_label(measure: Measure) -> str:
    return f"{measure.number}. {measure.title}"


def active_measures():
    return Measure.objects.filter(is_active=True).order_by("programme", "number")


def measure_select_choices() -> list:
    return [("", "—"), *measures_by_programme(active_measures())]


def _grouped_measure_select(field: forms.ModelChoiceField, choices: list | None = None) -> None:
    """The measures as a select grouped by programme; `choices` read once for many forms."""
    field.queryset = active_measures()
    field.widget.choices = choices if choices is not None else measure_select_choices()


def measures_by_programme(measures) -> list[tuple[str, list[tuple[int, str]]]]:
    """The measures grouped under their programme's name, the Shanghai plan first."""
    groups: dict[str, list] = {}
    for measure in measures:
        groups.setdefault(measure.programme, []).append((measure.pk, measure_label(measure)))
    order = sorted(groups, key=lambda programme: (programme != Programme.SHANGHAI_2024, programme))
    return [(str(Programme(programme).label), groups[programme]) for programme in order]


class MeasureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Measure) -> str:
        return measure_label(obj)


class MeasureMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Measure) -> str:
        return measure_label(obj)


class DateInput(forms.DateInput):
    """The browser's date picker, which reads and sends ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _past_day_field(label, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=capfirst(label), required=required, widget=DateInput)


def _limit_to_past_days(form: forms.Form, *names: str) -> None:
    """The date pickers offer the recorded past only; read per form, as today moves on."""
    limits = {"min": EARLIEST_RECORDED_DAY.isoformat(), "max": local_today().isoformat()}
    for name in names:
        if name in form.fields:
            form.fields[name].widget.attrs.update(limits)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_MATERIALS:
            raise forms.ValidationError(TOO_MANY_MATERIALS % {"count": MAX_MATERIALS})
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class CentresField(forms.ModelMultipleChoiceField):
    """Centres named by id, among those the user may name; the page draws them as checkboxes."""

    def label_from_instance(self, obj: Centre) -> str:
        return obj.name


class BriefingForm(forms.Form):
    held_on = _past_day_field(Briefing._meta.get_field("held_on").verbose_name)
    format = forms.ChoiceField(
        label=capfirst(Briefing._meta.get_field("format").verbose_name),
        choices=BriefingFormat.choices,
        initial=BriefingFormat.VISIT,
    )
    title = forms.CharField(
        label=capfirst(Briefing._meta.get_field("title").verbose_name),
        max_length=Briefing._meta.get_field("title").max_length,
    )
    measures = MeasureMultipleChoiceField(
        label=capfirst(Briefing._meta.get_field("measures").verbose_name),
        queryset=Measure.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    centres = CentresField(
        label=capfirst(Briefing._meta.get_field("centres").verbose_name),
        queryset=Centre.objects.none(),
        required=False,  # the service says "name at least one", in its words
    )
    notes = forms.CharField(
        label=capfirst(Briefing._meta.get_field("notes").verbose_name),
        max_length=Briefing._meta.get_field("notes").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    materials = MultipleFileField(label=_("Materials handed out"), required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = local_today()
        _limit_to_past_days(self, "held_on")
        self.fields["measures"].queryset = active_measures()
        self.fields["measures"].widget.choices = measures_by_programme(self.fields["measures"].queryset)
        self.fields["centres"].queryset = centres_to_name(user=user)


class MaterialForm(forms.Form):
    materials = MultipleFileField(label=_("Materials handed out"))


class CampaignForm(forms.Form):
    title = forms.CharField(
        label=capfirst(BriefingCampaign._meta.get_field("title").verbose_name),
        max_length=BriefingCampaign._meta.get_field("title").max_length,
    )
    measure = MeasureChoiceField(
        label=capfirst(BriefingCampaign._meta.get_field("measure").verbose_name),
        queryset=Measure.objects.none(),
    )
    centre_type = forms.ChoiceField(
        label=capfirst(BriefingCampaign._meta.get_field("centre_type").verbose_name),
        choices=[("", _("every active centre")), *CentreType.choices],
        required=False,
    )
    starts_on = forms.DateField(
        label=capfirst(BriefingCampaign._meta.get_field("starts_on").verbose_name), widget=DateInput
    )
    due_on = forms.DateField(
        label=capfirst(BriefingCampaign._meta.get_field("due_on").verbose_name), widget=DateInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _grouped_measure_select(self.fields["measure"])


def _benefit_field(name: str):
    return Benefit._meta.get_field(name)


class BenefitForm(forms.Form):
    """A benefit's facts; `centre` and `measure` only when it is first recorded."""

    centre = forms.ModelChoiceField(
        label=capfirst(_benefit_field("centre").verbose_name), queryset=Centre.objects.none()
    )
    measure = MeasureChoiceField(
        label=capfirst(_benefit_field("measure").verbose_name), queryset=Measure.objects.none()
    )
    title = forms.CharField(
        label=capfirst(_benefit_field("title").verbose_name),
        max_length=_benefit_field("title").max_length,
        help_text=_benefit_field("title").help_text,
    )
    status = forms.ChoiceField(
        label=capfirst(_benefit_field("status").verbose_name), choices=BenefitStatus.choices
    )
    applied_on = _past_day_field(_benefit_field("applied_on").verbose_name, required=False)
    decided_on = _past_day_field(_benefit_field("decided_on").verbose_name, required=False)
    amount = forms.DecimalField(
        label=capfirst(_benefit_field("amount").verbose_name),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    quantity = forms.IntegerField(
        label=capfirst(_benefit_field("quantity").verbose_name),
        min_value=0,
        max_value=INT_MAX,
        required=False,
        help_text=_benefit_field("quantity").help_text,
    )
    granting_bureau = forms.ModelChoiceField(
        label=capfirst(_benefit_field("granting_bureau").verbose_name),
        queryset=Bureau.objects.none(),
        required=False,
    )
    note = forms.CharField(
        label=capfirst(_benefit_field("note").verbose_name),
        max_length=_benefit_field("note").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label=_("Why it changes (kept in its history)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(self, *args, user: User, benefit: Benefit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        _grouped_measure_select(self.fields["measure"])
        _limit_to_past_days(self, "applied_on", "decided_on")
        self.fields["granting_bureau"].queryset = Bureau.objects.order_by("code")
        if user.role == Role.BUREAU_STAFF:
            # Bureau staff enter their own bureau's grants: the service sets it for them.
            del self.fields["granting_bureau"]
        if benefit is None:
            self.fields["centre"].queryset = centres_to_name(user=user)
            del self.fields["reason"], self.fields["version"]
        else:
            del self.fields["centre"], self.fields["measure"]


class QuestionToCaseForm(forms.Form):
    measure = MeasureChoiceField(label=_("Measure"), queryset=Measure.objects.none())
    title = forms.CharField(label=_("Difficulty"), max_length=Case._meta.get_field("title").max_length)
    description = forms.CharField(
        label=_("Details"),
        max_length=Case._meta.get_field("description").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, measure_choices: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        _grouped_measure_select(self.fields["measure"], measure_choices)


class FindingOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("What became of it"), choices=Finding.Outcome.choices)
    note = forms.CharField(
        label=_("Note"),
        max_length=Finding._meta.get_field("note").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
