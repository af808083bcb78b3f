"""The sandbox's state and its control operations (the Python API tests drive)."""

import dataclasses
import threading
import uuid
from collections import Counter
from dataclasses import dataclass, field

from . import const, presets
from . import profile as profiles
from .clock import SandboxClock, parse_moment
from .entities import ENTITIES, Ctx
from .entities.base import touch
from .inject import Injector
from .limits import Limits
from .oauth import OAuthService
from .persist import StateFile
from .store import CompanyStore
from .webhooks import Event, WebhookSender


@dataclass
class RequestRecord:
    """One logged API or OAuth request (``srv.requests``)."""

    method: str
    path: str
    realm_id: str | None
    query: dict
    request_id: str | None
    entity: str | None
    intuit_tid: str = field(default_factory=lambda: str(uuid.uuid4()))
    status: int | None = None  # None when the connection was reset


class Sandbox:
    """All companies, OAuth state, throttles, injected faults and webhooks of one sandbox."""

    def __init__(self, profile: str | None = None, **overrides):
        self.clock = SandboxClock()
        self.oauth = OAuthService(self.clock)
        self.oauth.add_app(
            presets.CLIENT_ID, presets.CLIENT_SECRET, presets.REDIRECT_URIS, presets.VERIFIER_TOKEN
        )
        self.companies: dict[str, CompanyStore] = {
            realm: presets.build_company(realm, self.clock) for realm in presets.COMPANIES
        }
        self.limits = Limits()
        self.injector = Injector()
        self.webhooks = WebhookSender(self.limits)
        self.slow_seconds = const.DEFAULT_SLOW_SECONDS
        self.latency = 0.0
        self.requests: list[RequestRecord] = []
        self._requests_lock = threading.Lock()
        self.stopping = threading.Event()
        self.profile = profiles.Profile()
        self._strikes: Counter = Counter()
        self.state_file: StateFile | None = None
        if profile or overrides:
            self.set_profile(profile, **overrides)

    # -- persistence -------------------------------------------------------------------------
    def persist(self, path) -> bool:
        """Keep the state in the SQLite file ``path`` (see :mod:`qbo_sandbox.persist`):
        load what it holds (True if anything), and save after every write request."""
        self.state_file = StateFile(path)
        return self.state_file.load(self)

    def save_state(self) -> None:
        if self.state_file is not None:
            self.state_file.save(self)

    # -- OAuth -------------------------------------------------------------------------------
    def add_app(self, client_id, client_secret, redirect_uris=None, verifier_token=None):
        self.oauth.add_app(client_id, client_secret, redirect_uris, verifier_token)

    def grant(self, realm_id, client_id=presets.CLIENT_ID, scope=const.ACCOUNTING_SCOPE) -> dict:
        """A token response as if a user had connected ``client_id`` to ``realm_id``."""
        self.store(realm_id)
        return self.oauth.grant(realm_id, client_id, scope)

    def expire_access_tokens(self, realm_id=None) -> None:
        self.oauth.expire_access_tokens(realm_id)

    def invalidate_refresh_tokens(self, realm_id=None) -> None:
        self.oauth.invalidate_refresh_tokens(realm_id)

    # -- behaviour switches ------------------------------------------------------------------
    def inject(
        self, kind, count=1, *, realm_id=None, path=None, method=None, retry_after=None, skip=0
    ):
        """Make the next ``count`` matching requests fail the way ``kind`` says, after letting
        ``skip`` matching requests through (e.g. the query batch before a create batch)."""
        self.injector.add(
            kind,
            count,
            realm_id=realm_id,
            path=path,
            method=method,
            retry_after=retry_after,
            skip=skip,
        )

    def set_profile(self, name=None, **overrides) -> dict:
        """Switch to the profile ``name`` ("strict", "hostile"), with single fields overridden
        (see :class:`qbo_sandbox.profile.Profile`); returns the fields now in force."""
        profile = profiles.build(name, **overrides)
        with self._requests_lock:
            self.profile = profile
            self._strikes.clear()
        self.latency = profile.latency
        for realm_id, company in self.companies.items():
            company.set_profile(profile)
            if profile.custom_txn_numbers is not None:
                self.set_preferences(realm_id, custom_txn_numbers=profile.custom_txn_numbers)
        return dataclasses.asdict(profile)

    def strike(self, kind: str) -> str | None:
        """The profile's failure for this request of ``kind`` ("write", "token"), when it is
        the N-th one the profile aims at; else None."""
        failure, every = {
            "write": (self.profile.commit_then_fail, self.profile.commit_then_fail_every),
            "token": (self.profile.token_fault, self.profile.token_fault_every),
        }[kind]
        if not failure:
            return None
        with self._requests_lock:
            self._strikes[kind] += 1
            return failure if self._strikes[kind] % every == 0 else None

    def remove_user(self, realm_id) -> None:
        """The user who connected is removed from the company: refreshing now fails with
        ``invalid_grant`` / ``x_error_reason: user_not_in_realm``."""
        self.store(realm_id)
        self.oauth.remove_user(str(realm_id))

    def set_limits(self, enabled=True, time_scale=1.0) -> None:
        self.limits.configure(enabled, time_scale)

    def set_latency(self, seconds) -> None:
        self.latency = max(0.0, float(seconds))

    def set_webhook(self, url, fmt="legacy", verifier_token=presets.VERIFIER_TOKEN, delay=0.0):
        self.webhooks.configure(url, fmt, verifier_token, float(delay))

    @property
    def webhook_deliveries(self):
        return list(self.webhooks.deliveries)

    def set_preferences(
        self,
        realm_id,
        custom_txn_numbers=None,
        multi_currency=None,
        book_close_date=None,
        automated_sales_tax=None,
        allow_shipping=None,
    ) -> dict:
        """Change preferences as an admin would; ``book_close_date`` (a date or ISO string, or
        ``""`` to reopen the books) closes the books up to that date; ``automated_sales_tax``
        turns a US company's automated sales tax (``TaxPrefs.PartnerTaxEnabled``) on or off;
        ``allow_shipping`` the shipping charge of sales forms
        (``SalesFormsPrefs.AllowShipping``)."""
        company = self.store(realm_id)
        with company.lock:
            prefs = company.get("Preferences", "1")
            if custom_txn_numbers is not None:
                prefs["SalesFormsPrefs"]["CustomTxnNumbers"] = bool(custom_txn_numbers)
            if multi_currency is not None:
                prefs["CurrencyPrefs"]["MultiCurrencyEnabled"] = bool(multi_currency)
            if automated_sales_tax is not None:
                prefs["TaxPrefs"]["PartnerTaxEnabled"] = bool(automated_sales_tax)
            if allow_shipping is not None:
                prefs["SalesFormsPrefs"]["AllowShipping"] = bool(allow_shipping)
            if book_close_date is not None:
                accounting = prefs.setdefault("AccountingInfoPrefs", {})
                if book_close_date:
                    accounting["BookCloseDate"] = str(book_close_date)[:10]
                else:
                    accounting.pop("BookCloseDate", None)
            ctx = self.user_ctx(company)
            touch(ctx, "Preferences", prefs)
            self.publish(realm_id, ctx.events)
            return company.get("Preferences", "1")

    def advance_clock(self, seconds) -> None:
        self.clock.advance(seconds)

    def clear_requests(self) -> None:
        """Forget the requests logged, and the peak of requests in flight."""
        with self._requests_lock:
            self.requests.clear()
        self.limits.reset_peak()

    def log_request(self, record: RequestRecord) -> RequestRecord:
        with self._requests_lock:
            self.requests.append(record)
        return record

    # -- data --------------------------------------------------------------------------------
    def store(self, realm_id) -> CompanyStore:
        company = self.companies.get(str(realm_id))
        if company is None:
            raise KeyError(f"no sandbox company with realm id {realm_id}")
        return company

    def user_ctx(self, company) -> Ctx:
        return Ctx(company, self.clock)

    def _as_user(self, realm_id, action):
        """Run ``action(ctx)`` as a QBO user would (events published, faults raised)."""
        company = self.store(realm_id)
        with company.lock:
            ctx = self.user_ctx(company)
            result = action(ctx)
        self.publish(realm_id, ctx.events)
        return result

    def delete_entity(self, realm_id, entity, obj_id) -> dict:
        """Delete a transaction, or make a name-list object inactive ("(deleted)")."""
        kind = ENTITIES[entity]

        def action(ctx):
            current = kind.read(ctx, obj_id)
            payload = {"Id": current["Id"], "SyncToken": current["SyncToken"]}
            if kind.deletable:
                return kind.delete(ctx, payload)
            kept = {key: current[key] for key in kind.sparse_required}
            return kind.update(ctx, dict(payload, sparse=True, Active=False, **kept))

        return self._as_user(realm_id, action)

    def void_entity(self, realm_id, entity, obj_id) -> dict:
        kind = ENTITIES[entity]

        def action(ctx):
            current = kind.read(ctx, obj_id)
            return kind.void(ctx, {"Id": current["Id"], "SyncToken": current["SyncToken"]})

        return self._as_user(realm_id, action)

    def add_payment(self, realm_id, invoice_id, amount) -> dict:
        """Receive a customer payment against an invoice."""
        return self._pay(realm_id, "Payment", "Invoice", "CustomerRef", invoice_id, amount, {})

    def add_bill_payment(self, realm_id, bill_id, amount) -> dict:
        """Pay a bill by check from the first bank account."""
        bank = next(a for a in self.store(realm_id).all("Account") if a["AccountType"] == "Bank")
        extra = {"PayType": "Check", "CheckPayment": {"BankAccountRef": {"value": bank["Id"]}}}
        return self._pay(realm_id, "BillPayment", "Bill", "VendorRef", bill_id, amount, extra)

    def _pay(self, realm_id, kind, target, party_key, target_id, amount, extra) -> dict:
        def action(ctx):
            doc = ENTITIES[target].read(ctx, target_id)
            payload = {
                party_key: {"value": doc[party_key]["value"]},
                "TotalAmt": amount,
                "Line": [
                    {"Amount": amount, "LinkedTxn": [{"TxnId": doc["Id"], "TxnType": target}]}
                ],
                **extra,
            }
            if "CurrencyRef" in doc:
                payload["CurrencyRef"] = {"value": doc["CurrencyRef"]["value"]}
                if "ExchangeRate" in doc:
                    payload["ExchangeRate"] = doc["ExchangeRate"]
            return ENTITIES[kind].create(ctx, payload)

        return self._as_user(realm_id, action)

    # -- webhooks ----------------------------------------------------------------------------
    def publish(self, realm_id, events) -> None:
        if not events:
            return
        self.webhooks.publish(
            [
                Event(realm_id, entity, obj_id, operation, self.clock.utc_stamp(_epoch(stamp)))
                for entity, obj_id, operation, stamp in events
            ]
        )


def _epoch(stamp: str) -> float:
    return parse_moment(stamp).timestamp()
