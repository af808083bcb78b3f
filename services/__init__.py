# Plain Python of the Odoo side: no model classes here (those are in models/, one per file).
# See ARCHITECTURE.md.
from . import cogs, cogs_sync, cron, keys, kinds, payload
