"""In-memory data of one sandbox company (realm)."""

import copy
import random
import threading
from collections import defaultdict

from .profile import Profile


def id_sort_key(value) -> tuple:
    """Numeric Ids sort as numbers; pseudo Ids such as ``TAX`` go last."""
    text = str(value)
    return (0, int(text), "") if text.isdigit() else (1, 0, text)


class CompanyStore:
    """Objects of one company, keyed by entity name and Id.

    Everything handed out is a deep copy; mutate through :meth:`put`. ``lock`` serialises
    writes (and the reads that must see them whole), like QBO's per-company consistency.
    """

    def __init__(self, realm_id: str, country: str, sequences: dict[str, int]):
        self.realm_id = realm_id
        self.country = country
        self.lock = threading.RLock()
        self._objects: dict[str, dict[str, dict]] = defaultdict(dict)
        self._deleted: dict[str, dict[str, str]] = defaultdict(dict)
        self._sequences = dict(sequences)
        self._replays: dict[str, tuple[dict, float]] = {}  # requestid -> (first answer, when)
        self.profile = Profile()
        self.rng = random.Random(0)

    #: what :mod:`qbo_sandbox.persist` saves (the profile comes from the command line)
    SAVED = ("_objects", "_deleted", "_sequences", "_replays")

    def set_profile(self, profile: Profile) -> None:
        with self.lock:
            self.profile = profile
            self.rng = random.Random(profile.seed)

    # -- requestid -----------------------------------------------------------------------------
    def replay(self, key: str, now: float) -> dict | None:
        """The first successful answer to the write ``key`` names, if still remembered (or,
        under ``replay_failures``, its refusal: ``{"Fault": ...}``)."""
        with self.lock:
            entry = None if self.profile.ignore_requestid else self._replays.get(key)
            if entry is None:
                return None
            answer, when = entry
            ttl = self.profile.requestid_ttl
            if ttl is not None and now - when >= ttl:
                del self._replays[key]
                return None
            return copy.deepcopy(answer)

    def remember(self, key: str, answer: dict, now: float) -> None:
        with self.lock:
            self._replays[key] = (copy.deepcopy(answer), now)

    def remember_failure(self, key: str, fault, now: float) -> None:
        """Remember the refusal of the write ``key`` names, when the profile says QBO does
        (``replay_failures``): its replay is ``{"Fault": ...}``."""
        if self.profile.replay_failures and fault.status == 400:
            self.remember(key, {"Fault": fault.fault()}, now)

    @property
    def is_us(self) -> bool:
        return self.country == "US"

    def next_id(self, sequence: str) -> str:
        with self.lock:
            value = self._sequences.get(sequence, 1)
            self._sequences[sequence] = value + 1
            return str(value)

    def put(self, entity: str, obj: dict) -> None:
        with self.lock:
            self._objects[entity][str(obj["Id"])] = copy.deepcopy(obj)

    def get(self, entity: str, obj_id) -> dict | None:
        with self.lock:
            found = self._objects[entity].get(str(obj_id))
            return copy.deepcopy(found) if found is not None else None

    def all(self, entity: str) -> list[dict]:
        """Every stored object of ``entity`` (inactive ones included, deleted ones not)."""
        with self.lock:
            rows = [copy.deepcopy(o) for o in self._objects[entity].values()]
        return sorted(rows, key=lambda o: id_sort_key(o["Id"]))

    def values(self, entity: str) -> list[dict]:
        """The stored objects themselves, sorted by Id, for read-only scans (no copies).

        Callers must not modify them; this keeps uniqueness checks and queries fast on
        companies with thousands of records.
        """
        with self.lock:
            rows = list(self._objects[entity].values())
        return sorted(rows, key=lambda o: id_sort_key(o["Id"]))

    def remove(self, entity: str, obj_id, when: str) -> None:
        """Delete for good, remembering when (CDC reports it)."""
        with self.lock:
            self._objects[entity].pop(str(obj_id), None)
            self._deleted[entity][str(obj_id)] = when

    def is_deleted(self, entity: str, obj_id) -> bool:
        with self.lock:
            return str(obj_id) in self._deleted[entity]

    def deleted(self, entity: str) -> dict[str, str]:
        """``{Id: LastUpdatedTime}`` of deleted objects of ``entity``."""
        with self.lock:
            return dict(self._deleted[entity])
