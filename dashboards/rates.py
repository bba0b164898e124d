"""A rate with the counts behind it, so a manager can check it; 0 of 0 is "no data", never 0 % or 100 %."""

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        if not self.denominator:
            return None
        return self.numerator / self.denominator

    def display(self) -> str:
        value = self.value
        return _("no data") if value is None else f"{value * 100:.1f}%"

    def as_dict(self) -> dict:
        value = self.value
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "rate": None if value is None else round(value, 4),
            "display": self.display(),
        }
