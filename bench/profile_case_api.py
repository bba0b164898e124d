"""Where a case API request spends its time: in-process, Django's test client with a knox token.

    .venv/bin/python bench/profile_case_api.py accept --size 10000      # SQL of one, profile of 30
    .venv/bin/python bench/profile_case_api.py detail --size 100000 --count 100
    .venv/bin/python bench/profile_case_api.py detail --size 100000 --count 400 --plain   # no profiler

`--plain` times the requests without a profiler (CPU and wall per request, in-process): run it
on two checkouts one after the other to compare them on a machine whose speed drifts.

Uses the case bench's database of that size (build it with cases_bench.py first). A move
consumes dispatched cases, as the bench does.
"""

import argparse
import cProfile
import logging
import os
import pstats
import random
import time

from bench_support import django_setup

BENCH_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/commissioners_bench"
)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("operation", choices=["accept", "detail", "list", "list_bureau", "inbox"])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument(
        "--cpu", action="store_true", help="cProfile on CPU time (a busy machine's waits left out)"
    )
    parser.add_argument("--plain", action="store_true", help="CPU and wall time per request, no profiler")
    args = parser.parse_args()
    django_setup(f"{BENCH_DATABASE_URL}_{args.size}", THROTTLE_USER="1000000/minute")
    import cases_bench
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    token = cases_bench.tokens()
    extra = 11 if args.plain else 1
    if args.operation == "accept":
        calls = [("POST", path, tok) for path, tok in cases_bench.move_requests(args.count + extra)]
    else:
        reads = cases_bench.read_requests(token)
        op = {"list": "list_city"}.get(args.operation, args.operation)
        calls = [("GET", *random.choice(reads[op])) for _ in range(args.count + extra)]

    def call(method, path, tok):
        client = Client(HTTP_AUTHORIZATION=f"Token {tok}", HTTP_ACCEPT_LANGUAGE="en")
        response = client.generic(method, path, b"{}" if method == "POST" else b"", "application/json")
        assert response.status_code == 200, (response.status_code, response.content[:300])

    with CaptureQueriesContext(connection) as queries:
        call(*calls[0])
    for query in queries.captured_queries:
        print(f"{query['time']:>7}  {query['sql'][:400]}")
    print(f"{len(queries)} queries\n")
    if args.plain:
        logging.disable(logging.CRITICAL)  # a log line per request is not what is compared
        for one in calls[1:11]:  # each statement compiled and prepared, each viewer's columns built
            call(*one)
        cpu, wall = time.process_time(), time.perf_counter()
        for one in calls[11:]:
            call(*one)
        count = len(calls) - 11
        print(
            f"{args.operation}: CPU {1000 * (time.process_time() - cpu) / count:.2f} ms, "
            f"wall {1000 * (time.perf_counter() - wall) / count:.2f} ms a request ({count} requests)"
        )
        return
    if args.cpu:
        profile = cProfile.Profile(time.process_time)
        started = time.process_time()
        profile.runcall(lambda: [call(*one) for one in calls[1:]])
        print(f"CPU {1000 * (time.process_time() - started) / args.count:.1f} ms a request (profiled)")
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
        return
    profiler = Profiler(interval=0.0005)
    with profiler:
        for one in calls[1:]:
            call(*one)
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
