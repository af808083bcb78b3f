"""Hostile profiles: behaviours of real QBO a client must survive, switched on per sandbox.

``SandboxServer(profile="hostile")``, ``srv.set_profile("strict", shuffle_batch=True)``,
``POST /_sandbox/profile {"name": ..., <field>: ...}`` or ``python -m qbo_sandbox --profile
hostile --shuffle-batch ...``. Each field of :class:`Profile` is one behaviour; a named profile
is a set of fields, and keyword overrides change single fields.
"""

import dataclasses
from dataclasses import dataclass

#: how a 429 looks: JSON with Retry-After, JSON without it, or XML without it
THROTTLE_STYLES = ("json", "bare", "xml")
#: what a commit-then-fail write answers after it was saved
COMMIT_FAILURES = ("500", "6000", "reset")
#: what a faulty token endpoint does ("lost_refresh": rotates, then the answer is lost)
TOKEN_FAULTS = ("500", "503", "429", "reset", "timeout", "lost_refresh")


@dataclass
class Profile:
    """One sandbox behaviour per field; the defaults are the plain strict sandbox."""

    #: ``requestid`` is not looked at: a repeated write is written again
    ignore_requestid: bool = False
    #: a requestid is forgotten this many seconds (sandbox clock) after its first answer
    requestid_ttl: float | None = None
    #: a write QBO refused (a 4xx fault of the write itself) is remembered under its
    #: requestid too: sent again with it, even corrected, it gets the same refusal
    replay_failures: bool = False
    #: set CustomTxnNumbers of every company (None: leave the presets' setting, on)
    custom_txn_numbers: bool | None = None
    #: "warn if duplicate number is used": off means no 6140 even with custom numbers
    duplicate_warning: bool = True
    #: seconds every API request takes (it stays "in flight" meanwhile)
    latency: float = 0.0
    #: batch items run, and are answered, in a shuffled order
    shuffle_batch: bool = False
    #: every ``commit_then_fail_every``-th write is saved, then answered with this failure
    commit_then_fail: str | None = None
    commit_then_fail_every: int = 0
    #: every ``token_fault_every``-th token request (code exchange or refresh) fails so
    token_fault: str | None = None
    token_fault_every: int = 0
    #: the shape of 429 answers, injected or from the limits
    throttle_style: str = "json"
    #: seed of the shuffles (runs are reproducible)
    seed: int = 0

    def __post_init__(self):
        checks = (
            ("commit_then_fail", self.commit_then_fail, COMMIT_FAILURES),
            ("token_fault", self.token_fault, TOKEN_FAULTS),
            ("throttle_style", self.throttle_style, THROTTLE_STYLES),
        )
        for name, value, allowed in checks:
            if value is not None and value not in allowed:
                raise ValueError(f"{name} must be one of {allowed}, not {value!r}")
        if self.commit_then_fail and self.commit_then_fail_every < 1:
            self.commit_then_fail_every = 1
        if self.token_fault and self.token_fault_every < 1:
            self.token_fault_every = 1


PROFILES = {
    "strict": Profile(),
    "hostile": Profile(
        ignore_requestid=True,
        duplicate_warning=False,
        latency=0.05,
        shuffle_batch=True,
        commit_then_fail="6000",
        commit_then_fail_every=5,
        token_fault="lost_refresh",
        token_fault_every=3,
        throttle_style="xml",
    ),
}
FIELDS = tuple(f.name for f in dataclasses.fields(Profile))


def build(name: str | None = None, **overrides) -> Profile:
    """The profile ``name`` (default "strict") with ``overrides`` applied."""
    base = PROFILES.get(name or "strict")
    if base is None:
        raise ValueError(f"unknown profile {name!r}; expected one of {sorted(PROFILES)}")
    unknown = set(overrides) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown profile fields {sorted(unknown)}; expected some of {FIELDS}")
    return dataclasses.replace(base, **overrides)
