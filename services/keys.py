"""Idempotency keys and marks: one function for every key the connector sends.

A key is a hash of this database's UUID and of what identifies one write, so that
a retry of the same write sends the same key (QBO's ``requestid``) and two
databases never share one. The parts are joined with ``|``; their order and the
prefixes below are part of the keys already sent, so they never change.
"""

import hashlib

#: QBO accepts request ids of up to 50 characters; ours stay well inside.
REQUEST_ID_LENGTH = 40
#: A batch request carries its own id plus a per-chunk suffix (``qbo.batch``).
BATCH_ID_LENGTH = 32


def digest(*parts, length=REQUEST_ID_LENGTH, prefix=""):
    """``prefix`` + the hex SHA-256 of ``parts`` joined with ``|``, cut to ``length``."""
    seed = "|".join(str(part) for part in parts)
    return prefix + hashlib.sha256(seed.encode()).hexdigest()[: length - len(prefix)]


def database_uuid(env):
    return env["ir.config_parameter"].sudo().get_param("database.uuid")


def request_id(env, *parts, length=REQUEST_ID_LENGTH, prefix=""):
    """The key of one write identified by ``parts``, unique to this database."""
    return digest(database_uuid(env), *parts, length=length, prefix=prefix)
