"""The policy measures the demo's cases and assessment problems are tagged with."""

from policies.models import Measure, Programme


def shanghai_measure(number: int) -> Measure:
    return Measure.objects.get(programme=Programme.SHANGHAI_2024, number=number)
