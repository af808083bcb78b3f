"""Play the user's part on the sandbox's consent page: pick a company, submit the form."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import requests


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "fields": {}, "choices": {}})
        elif tag in ("input", "select", "button") and self.forms and attrs.get("name"):
            form = self.forms[-1]
            kind = (attrs.get("type") or "").lower()
            if kind in ("radio",) or tag == "button":
                form["choices"].setdefault(attrs["name"], []).append(attrs.get("value", ""))
            elif tag == "input":
                form["fields"][attrs["name"]] = attrs.get("value", "")
            else:
                form["choices"].setdefault(attrs["name"], [])
        elif tag == "option" and self.forms:
            form = self.forms[-1]
            for values in form["choices"].values():
                values.append(attrs.get("value", ""))


def consent(authorization_url: str, realm_id: str) -> dict[str, str]:
    """Open the consent page, choose ``realm_id``, return the callback's query parameters."""
    page = requests.get(authorization_url, timeout=5)
    page.raise_for_status()
    parser = _FormParser()
    parser.feed(page.text)
    for form in parser.forms:
        data = dict(form["fields"])
        chosen = False
        for name, values in form["choices"].items():
            if realm_id in values:
                data[name] = realm_id
                chosen = True
        if not chosen and realm_id not in data.values():
            continue
        response = requests.post(
            urljoin(page.url, form["action"]), data=data, allow_redirects=False, timeout=5
        )
        assert response.status_code in (302, 303), response.text[:300]
        location = response.headers["Location"]
        return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}
    raise AssertionError(f"No consent form offers company {realm_id}: {page.text[:500]}")
