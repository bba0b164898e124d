"""The states a django-fsm transition leaves from, read off the transition itself: services check
against these instead of restating the state graph."""

from collections.abc import Callable


def transition_sources(transition: Callable) -> frozenset[str]:
    """The source states of a model method decorated with django-fsm's `@transition`."""
    return frozenset(transition._django_fsm.transitions)
