"""OAuth against the sandbox's Intuit-like endpoints."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest

from qbo import QboOAuth, errors

from .conftest import REDIRECT_URI
from .consent import consent


def test_authorization_url(oauth, srv):
    url = oauth.authorization_url("state-123")
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == srv.url + "/connect/oauth2"
    params = parse_qs(parts.query)
    assert params["state"] == ["state-123"]
    assert params["response_type"] == ["code"]
    assert params["redirect_uri"] == [REDIRECT_URI]
    assert params["scope"] == ["com.intuit.quickbooks.accounting"]
    assert params["client_id"] == [oauth.client_id]
    with pytest.raises(ValueError):
        oauth.authorization_url("")


def test_full_flow_exchange_refresh_rotation_revoke(oauth, srv, presets):
    callback = consent(oauth.authorization_url("s-1"), presets.GB_REALM)
    assert callback["state"] == "s-1"
    assert callback["realmId"] == presets.GB_REALM
    before = time.time()
    token = oauth.exchange_code(callback["code"], realm_id=callback["realmId"])
    assert token.realm_id == presets.GB_REALM
    assert before + 3500 < token.expires_at < time.time() + 3700
    assert token.refresh_expires_at > time.time() + 80 * 86400
    assert "token" not in repr(token).replace("Token(", "")  # values never in repr

    # single-use code
    with pytest.raises(errors.AuthorizationError) as reused:
        oauth.exchange_code(callback["code"])
    assert reused.value.code == "invalid_grant"
    assert not isinstance(reused.value, errors.ReconnectRequired)

    refreshed = oauth.refresh(token.refresh_token, realm_id=token.realm_id)
    assert refreshed.access_token != token.access_token
    assert refreshed.refresh_token != token.refresh_token  # rotation
    with pytest.raises(errors.ReconnectRequired) as old:
        oauth.refresh(token.refresh_token)
    assert old.value.code == "invalid_grant"

    oauth.revoke(refreshed)
    with pytest.raises(errors.ReconnectRequired):
        oauth.refresh(refreshed.refresh_token)


def test_bad_client_secret_is_authentication_error(srv, presets):
    wrong = QboOAuth(
        presets.CLIENT_ID,
        "wrong-secret-value",
        REDIRECT_URI,
        environment="custom",
        base_url=srv.url,
    )
    token = srv.grant(presets.US_REALM)
    with pytest.raises(errors.AuthenticationError) as raised:
        wrong.refresh(token["refresh_token"])
    assert raised.value.code == "invalid_client"


def test_unreachable_oauth_server_is_transport_error(srv, presets):
    url = srv.url
    srv.stop()
    oauth = QboOAuth(
        presets.CLIENT_ID,
        presets.CLIENT_SECRET,
        REDIRECT_URI,
        environment="custom",
        base_url=url,
        timeout=1,
    )
    with pytest.raises(errors.TransportError):
        oauth.refresh("any-refresh-token")


def test_user_removed_from_the_company_is_reconnect_with_its_reason(oauth, srv, presets):
    grant = srv.grant(presets.US_REALM)
    srv.remove_user(presets.US_REALM)
    with pytest.raises(errors.ReconnectRequired) as raised:
        oauth.refresh(grant["refresh_token"], realm_id=presets.US_REALM)
    assert raised.value.reason == errors.ReconnectRequired.USER_NOT_IN_REALM
    assert raised.value.code == "invalid_grant"
    assert "not a member" in raised.value.detail
    other = srv.grant(presets.GB_REALM)
    srv.invalidate_refresh_tokens(presets.GB_REALM)  # a plain invalid_grant has no reason
    with pytest.raises(errors.ReconnectRequired) as plain:
        oauth.refresh(other["refresh_token"])
    assert plain.value.reason is None


def test_refresh_whose_answer_was_lost_after_rotation(oauth, srv, presets):
    """Intuit rotated the token but the answer never arrived: the old value is dead."""
    grant = srv.grant(presets.US_REALM)
    srv.inject("commit_then_fail", count=5, path="/oauth2/v1/tokens/bearer")
    with pytest.raises((errors.TransportError, errors.ReconnectRequired)):
        oauth.refresh(grant["refresh_token"], realm_id=presets.US_REALM)
    with pytest.raises(errors.ReconnectRequired):
        oauth.refresh(grant["refresh_token"], realm_id=presets.US_REALM)
