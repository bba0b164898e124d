"""What the page tests share."""

from django.test import Client


def page_client(user, language: str = "en") -> Client:
    """A browser-like client logged in as `user`, asking for pages in `language`."""
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client
