"""A connection whose authorization Intuit no longer accepts: the one message, the marking,
the administrators' activities."""

import logging

from markupsafe import Markup

from ..qbo import errors

_logger = logging.getLogger(__name__)


def reconnect_message(connection):
    """What every user is told while ``connection`` needs to be reconnected.

    The one text of that situation: the connection form, the setup screens, the
    errors of a push and the administrators' activity all show it.
    """
    env = connection.env
    # The menu's own path: "Invoicing > ..." in Community, "Accounting > ..." with Enterprise
    menu = env.ref("quickbooks_online.menu_qbo_connection", raise_if_not_found=False)
    menu_path = menu.sudo().complete_name.replace("/", " > ") if menu else "QuickBooks Online"
    if connection.reconnect_reason == errors.ReconnectRequired.USER_NOT_IN_REALM:
        return env._(
            "The QuickBooks user who connected %(company)s was removed from the QuickBooks "
            "company. A QuickBooks administrator must reconnect it with a user of that "
            "company: %(menu)s, then Connect to QuickBooks.",
            company=connection.company_id.name,
            menu=menu_path,
        )
    return env._(
        "The connection to QuickBooks has expired or was revoked. A QuickBooks "
        "administrator must reconnect %(company)s: %(menu)s, then Connect to QuickBooks.",
        company=connection.company_id.name,
        menu=menu_path,
    )


def set_reconnect_needed(connection, reason, intuit_reason=None):
    """The refresh token no longer works: mark the connection and tell the administrators.

    Called inside the token refresh's own transaction, possibly by several
    workers in turn: only the first one (the row is locked) notifies. The
    notification must never prevent the state change from being committed.
    """
    connection.ensure_one()
    connection = connection.sudo()
    already = connection.state == "reconnect"
    connection.write(
        {
            "state": "reconnect",
            "access_token": False,
            "refresh_token": False,
            "reconnect_reason": intuit_reason or connection.reconnect_reason,
        }
    )
    if already:
        return
    _logger.warning("QuickBooks connection %s needs to be reconnected: %s", connection.id, reason)
    try:
        with connection.env.cr.savepoint():
            _notify(connection)
    except Exception:
        _logger.exception(
            "Could not notify the QuickBooks administrators of connection %s", connection.id
        )


def _notify(connection):
    """One activity per QuickBooks administrator of the company, linking to the connection."""
    env = connection.env
    note = Markup("<p>%s</p><p><a href='/odoo/qbo.connection/%s'>%s</a></p>") % (
        reconnect_message(connection),
        connection.id,
        env._("Reconnect now"),
    )
    for user in administrators(connection):
        connection.activity_schedule(
            "mail.mail_activity_data_warning",
            summary=env._("Reconnect QuickBooks Online"),
            note=note,
            user_id=user.id,
        )


def administrators(connection):
    group = connection.env.ref("quickbooks_online.group_qbo_manager")
    return connection.env["res.users"].search(
        [
            ("all_group_ids", "in", group.id),
            ("company_ids", "in", connection.company_id.id),
            ("share", "=", False),
        ]
    )


def close_activities(connection):
    """Reconnected: the administrators' activities are done."""
    warning = connection.env.ref("mail.mail_activity_data_warning")
    activities = connection.activity_ids.filtered(lambda a: a.activity_type_id == warning)
    activities.sudo().action_feedback(feedback=connection.env._("Reconnected."))
