"""The real QBO payloads the tests compare against, kept in ``qbo/tests/samples/``.

Where each one comes from is written in ``samples/SOURCES.txt``. The sandbox's tests
read the same folder (:data:`SAMPLES_DIR`).
"""

from __future__ import annotations

import json
from pathlib import Path

#: the folder of the samples, inside the repository
SAMPLES_DIR = Path(__file__).resolve().parent / "samples"


def sample_path(name: str) -> Path:
    return SAMPLES_DIR / name


def sample_bytes(name: str) -> bytes:
    return sample_path(name).read_bytes()


def sample_json(name: str):
    return json.loads(sample_bytes(name))
