"""Batch calls sent at once from worker threads (:mod:`qbo.parallel`)."""

from qbo import errors, parallel

QUERY = [{"bId": "q1", "Query": "SELECT * FROM Item MAXRESULTS 1"}]


def test_calls_run_at_once_and_come_back_in_order(client, srv, presets):
    srv.set_limits(True)
    srv.set_latency(0.3)
    calls = [
        ([{"bId": f"q{n}", "Query": "SELECT * FROM Item MAXRESULTS 1"}], None) for n in range(5)
    ]
    outcomes = parallel.batches(client, calls)
    assert [list(outcome) for outcome in outcomes] == [[f"q{n}"] for n in range(5)]
    assert all(outcome[f"q{n}"].ok for n, outcome in enumerate(outcomes))
    assert srv.limits.peak[presets.US_REALM] == 5


def test_a_failed_call_is_its_outcome_not_the_others(client, srv):
    srv.inject("429", path="/batch", retry_after=600)  # longer than the client waits
    outcomes = parallel.batches(client, [(QUERY, None)] * 3)
    throttled = [outcome for outcome in outcomes if isinstance(outcome, errors.ThrottledError)]
    assert len(throttled) == 1 and throttled[0].retry_after == 600
    answered = [outcome for outcome in outcomes if isinstance(outcome, dict)]
    assert len(answered) == 2 and all(outcome["q1"].ok for outcome in answered)


def test_workers_never_refresh_the_token_the_caller_does_once(client, srv, saved):
    srv.expire_access_tokens()
    outcomes = parallel.batches(client, [(QUERY, None)] * 3)
    assert all(outcome["q1"].ok for outcome in outcomes)
    assert len(saved) == 1, "one refresh, by the caller's client"
    assert len([r for r in srv.requests if r.path.endswith("/tokens/bearer")]) == 1
