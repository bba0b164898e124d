"""Running service calls at the same moment, each on its own database connection."""

import threading
from collections.abc import Callable

from django.db import connection

from core.errors import Conflict


def race(**moves: Callable[[], object]) -> dict[str, str]:
    """Runs the moves at once; returns each one's outcome: "ok", "conflict" (a 409) or the error."""
    start = threading.Barrier(len(moves))
    outcomes: dict[str, str] = {}

    def attempt(name, move):
        try:
            start.wait()
            move()
            outcomes[name] = "ok"
        except Conflict:
            outcomes[name] = "conflict"
        except Exception as error:
            outcomes[name] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=item) for item in moves.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
