"""Start Odoo like ``odoo-bin``, tolerant of gevent plugins whose requirements don't resolve.

Why not ``python -m odoo``: in prefork mode Odoo starts its websocket (gevent) server as
``[sys.executable, sys.argv[0], "gevent", ...]``. Under ``-m`` that ``argv[0]`` is
``odoo/__main__.py``, which cannot run as a script (a relative import), so the master
respawns the gevent child every second, forever. This file is a real script, so the child
runs it again and gets the same care.

Why the patch: in a virtualenv built from Odoo's requirements (setuptools 65), gevent loads
its entry-point plugins through ``pkg_resources``, which checks their requirements by
distribution name and misses ``zope.interface`` installed as ``zope_interface-*.dist-info``
(``DistributionNotFound``). ``gevent.monkey.patch_all`` then raises in the gevent child, which
dies and is respawned. The plugins themselves import fine: load them without the check.
"""

import sys


def _tolerant_gevent_plugins():
    try:
        from gevent import events  # noqa: PLC0415
    except ImportError:
        return

    def notify_and_call_entry_points(event):
        events.notify(event)
        for plugin in events.iter_entry_points(event.ENTRY_POINT_NAME):
            # ``resolve`` imports the plugin without ``require`` (the failing check)
            subscriber = plugin.resolve() if hasattr(plugin, "resolve") else plugin.load()
            subscriber(event)

    events.notify_and_call_entry_points = notify_and_call_entry_points


if __name__ == "__main__":
    _tolerant_gevent_plugins()
    import odoo.cli

    sys.exit(odoo.cli.main())
