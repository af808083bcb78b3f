"""Locating the shared reference material (real QBO samples) for the tests."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest


def shared_dir() -> Path:
    """``<repo>/../shared``, or ``$QBO_SHARED_DIR``; a missing folder FAILS the test."""
    candidates = [Path(__file__).resolve().parents[3] / "shared"]
    if os.environ.get("QBO_SHARED_DIR"):
        candidates.append(Path(os.environ["QBO_SHARED_DIR"]))
    for candidate in candidates:
        if (candidate / "qbo_samples").is_dir():
            return candidate
    pytest.fail(
        "The shared QBO samples are missing: looked for qbo_samples/ in "
        + ", ".join(map(str, candidates))
        + " (set QBO_SHARED_DIR to the folder holding qbo_samples/)"
    )


def sample_path(name: str) -> Path:
    path = shared_dir() / "qbo_samples" / name
    if not path.is_file():
        pytest.fail(f"Shared sample {path} is missing")
    return path


def sample_bytes(name: str) -> bytes:
    return sample_path(name).read_bytes()


def sample_json(name: str):
    return json.loads(sample_bytes(name))
