"""Intuit OAuth 2.0: consent page, code exchange, rotation, invalid_grant, revoke, expiry."""

from urllib.parse import parse_qs, urlsplit

import requests

from qbo_sandbox import const, presets

REDIRECT = "http://127.0.0.1:9/callback"
BASIC = (presets.CLIENT_ID, presets.CLIENT_SECRET)


def authorize(srv, scope=const.ACCOUNTING_SCOPE, realm=presets.US_REALM, action="allow"):
    """Do what a user does on the consent page: a plain form POST; return the redirect query."""
    params = {
        "client_id": presets.CLIENT_ID,
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "scope": scope,
        "state": "st4te",
    }
    page = requests.get(f"{srv.url}/connect/oauth2", params=params, timeout=5)
    assert page.status_code == 200 and "realm_id" in page.text
    response = requests.post(
        f"{srv.url}/connect/oauth2",
        data={**params, "realm_id": realm, "action": action},
        allow_redirects=False,
        timeout=5,
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(REDIRECT + "?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def token(srv, auth=BASIC, **form):
    return requests.post(
        f"{srv.url}/oauth2/v1/tokens/bearer",
        data=form,
        auth=auth,
        headers={"Accept": "application/json"},
        timeout=5,
    )


def api_status(srv, access_token, realm=presets.US_REALM):
    return requests.get(
        f"{srv.url}/v3/company/{realm}/companyinfo/{realm}",
        headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
        timeout=5,
    )


def test_authorize_form_post_then_code_exchange(srv):
    query = authorize(srv)
    assert query["state"] == "st4te" and query["realmId"] == presets.US_REALM
    response = token(
        srv, grant_type="authorization_code", code=query["code"], redirect_uri=REDIRECT
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 3600
    assert 8_600_000 <= body["x_refresh_token_expires_in"] <= 8_726_400
    assert api_status(srv, body["access_token"]).status_code == 200


def test_code_is_single_use_and_bound_to_redirect_uri(srv):
    code = authorize(srv)["code"]
    wrong = token(srv, grant_type="authorization_code", code=code, redirect_uri=REDIRECT + "x")
    assert wrong.status_code == 400
    first = token(srv, grant_type="authorization_code", code=code, redirect_uri=REDIRECT)
    assert first.status_code == 200
    second = token(srv, grant_type="authorization_code", code=code, redirect_uri=REDIRECT)
    assert second.status_code == 400 and second.json()["error"] == "invalid_grant"


def test_client_secret_post_is_accepted_and_bad_secret_is_invalid_client(srv):
    code = authorize(srv)["code"]
    bad = token(
        srv,
        auth=(presets.CLIENT_ID, "wrong"),
        grant_type="authorization_code",
        code=code,
        redirect_uri=REDIRECT,
    )
    assert bad.status_code == 401 and bad.json()["error"] == "invalid_client"
    ok = token(
        srv,
        auth=None,
        grant_type="authorization_code",
        code=code,
        redirect_uri=REDIRECT,
        client_id=presets.CLIENT_ID,
        client_secret=presets.CLIENT_SECRET,
    )
    assert ok.status_code == 200


def test_denied_consent_redirects_with_access_denied(srv):
    query = authorize(srv, action="deny")
    assert query == {"error": "access_denied", "state": "st4te"}


def test_authorize_rejects_unknown_client_without_redirect(srv):
    response = requests.get(
        f"{srv.url}/connect/oauth2",
        params={"client_id": "nope", "redirect_uri": REDIRECT, "response_type": "code"},
        allow_redirects=False,
        timeout=5,
    )
    assert response.status_code == 400


def test_registered_redirect_uris_are_enforced(srv):
    srv.add_app("app2", "secret2", redirect_uris=["http://127.0.0.1:9/only"])
    response = requests.get(
        f"{srv.url}/connect/oauth2",
        params={"client_id": "app2", "redirect_uri": REDIRECT, "response_type": "code"},
        timeout=5,
    )
    assert response.status_code == 400


def test_refresh_rotates_and_the_old_token_gets_invalid_grant(srv):
    first = srv.grant(presets.US_REALM)
    assert first["realmId"] == presets.US_REALM
    refreshed = token(srv, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert refreshed.status_code == 200
    new = refreshed.json()
    assert new["refresh_token"] != first["refresh_token"]
    again = token(srv, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert again.status_code == 400
    assert again.json() == {
        "error": "invalid_grant",
        "error_description": "Incorrect or invalid refresh token",
    }
    assert (
        token(srv, grant_type="refresh_token", refresh_token=new["refresh_token"]).status_code
        == 200
    )


def test_invalidate_refresh_tokens(srv):
    grant = srv.grant(presets.GB_REALM)
    srv.invalidate_refresh_tokens(presets.GB_REALM)
    response = token(srv, grant_type="refresh_token", refresh_token=grant["refresh_token"])
    assert response.json()["error"] == "invalid_grant"


def test_access_token_expires_on_the_sandbox_clock(srv):
    grant = srv.grant(presets.US_REALM)
    assert api_status(srv, grant["access_token"]).status_code == 200
    srv.advance_clock(3601)
    expired = api_status(srv, grant["access_token"])
    assert expired.status_code == 401
    fault = expired.json()["fault"]
    assert fault["type"] == "AUTHENTICATION"
    assert fault["error"][0]["code"] == "3200"
    assert fault["error"][0]["message"] == (
        "message=AuthenticationFailed; errorCode=003200; statusCode=401"
    )
    refreshed = token(srv, grant_type="refresh_token", refresh_token=grant["refresh_token"])
    assert api_status(srv, refreshed.json()["access_token"]).status_code == 200


def test_expire_access_tokens_and_missing_token(srv):
    grant = srv.grant(presets.US_REALM)
    srv.expire_access_tokens(presets.US_REALM)
    assert api_status(srv, grant["access_token"]).status_code == 401
    assert api_status(srv, "").status_code == 401
    assert api_status(srv, "not-a-token").status_code == 401


def test_refresh_token_expires_after_its_lifetime(srv):
    grant = srv.grant(presets.US_REALM)
    srv.advance_clock(const.REFRESH_TOKEN_TTL + 1)
    response = token(srv, grant_type="refresh_token", refresh_token=grant["refresh_token"])
    assert response.json()["error"] == "invalid_grant"


def test_token_of_another_realm_is_403_3100(srv):
    grant = srv.grant(presets.GB_REALM)
    response = api_status(srv, grant["access_token"], realm=presets.US_REALM)
    assert response.status_code == 403
    assert response.json()["fault"]["error"][0]["code"] == "3100"


def test_revoke_disconnects_both_tokens(srv):
    grant = srv.grant(presets.US_REALM)
    response = requests.post(
        f"{srv.url}/v2/oauth2/tokens/revoke",
        json={"token": grant["refresh_token"]},
        auth=BASIC,
        timeout=5,
    )
    assert response.status_code == 200
    assert api_status(srv, grant["access_token"]).status_code == 401
    refresh = token(srv, grant_type="refresh_token", refresh_token=grant["refresh_token"])
    assert refresh.json()["error"] == "invalid_grant"
    unauthorised = requests.post(
        f"{srv.url}/v2/oauth2/tokens/revoke",
        json={"token": "x"},
        auth=(presets.CLIENT_ID, "bad"),
        timeout=5,
    )
    assert unauthorised.status_code == 401


def test_scope_without_accounting_has_no_realm(srv):
    query = authorize(srv, scope="openid email")
    assert "realmId" not in query and "code" in query


def test_hard_expiry_header(srv):
    grant = srv.grant(presets.US_REALM)
    response = requests.post(
        f"{srv.url}/oauth2/v1/tokens/bearer",
        auth=BASIC,
        data={"grant_type": "refresh_token", "refresh_token": grant["refresh_token"]},
        headers={"x-include-refresh-token-hard-expires-in": "true"},
        timeout=5,
    )
    assert 157_000_000 < response.json()["x_refresh_token_hard_expires_in"] <= 157_680_000


def test_discovery_points_at_the_sandbox(srv):
    for path in ("/.well-known/openid_configuration", "/.well-known/openid_sandbox_configuration"):
        doc = requests.get(srv.url + path, timeout=5).json()
        assert doc["token_endpoint"] == f"{srv.url}/oauth2/v1/tokens/bearer"
        assert doc["authorization_endpoint"] == f"{srv.url}/connect/oauth2"
        assert doc["revocation_endpoint"] == f"{srv.url}/v2/oauth2/tokens/revoke"


def test_oauth_requests_are_logged(srv):
    srv.clear_requests()
    token(srv, grant_type="refresh_token", refresh_token="nope")
    record = srv.requests[-1]
    assert (record.method, record.path, record.status) == ("POST", "/oauth2/v1/tokens/bearer", 400)
