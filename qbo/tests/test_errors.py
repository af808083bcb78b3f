import json

import pytest

from qbo import errors

from .samples import sample_json


def _from_sample(name, status=400):
    return errors.error_from_response(status, json.dumps(sample_json(name)), "tid-1")


def test_6240_sample():
    error = _from_sample("fault_6240_duplicate_name.json")
    assert type(error) is errors.DuplicateNameError
    assert isinstance(error, errors.ValidationError)
    assert (error.code, error.http_status, error.intuit_tid) == ("6240", 400, "tid-1")
    assert error.fault_type == "ValidationFault"
    assert str(error).startswith("Duplicate Name Exists Error: The name supplied already exists")
    assert error.retryable is False


def test_6140_batch_item_sample_keeps_every_error():
    answer = sample_json("fault_6140_duplicate_docnumber_and_2020_batch_item.json")
    item = answer["BatchItemResponse"][0]
    error = errors.error_from_fault(errors.find_fault(item), http_status=200)
    assert type(error) is errors.DuplicateDocNumberError
    assert error.existing_txn_id == "3632"
    assert error.existing_txn_type == "Journal Entry"
    assert [e["code"] for e in error.errors] == ["6140", "2020"]
    assert error.errors[1]["element"] == "AccountRef"
    # the Detail repeats the Message: str() shows it once
    assert str(error).count("Duplicate Document Number Error") == 1


def test_610_deleted_sample():
    answer = sample_json("batch_response_delete_ok_and_610_deleted_txn.json")
    error = errors.error_from_fault(errors.find_fault(answer["BatchItemResponse"][0]), 200)
    assert type(error) is errors.ObjectNotFoundError
    assert error.deleted is True
    inactive = errors.error_from_fault(
        {
            "Error": [
                {
                    "Message": "Object Not Found",
                    "Detail": "Something you're trying to use has been made inactive.",
                    "code": "610",
                }
            ]
        }
    )
    assert type(inactive) is errors.ObjectNotFoundError and inactive.deleted is False


def test_gateway_lower_case_shape():
    body = {
        "fault": {
            "error": [
                {
                    "message": "message=AuthenticationFailed; errorCode=003200; statusCode=401",
                    "detail": "Token expired: 0",
                    "code": "3200",
                }
            ],
            "type": "AUTHENTICATION",
        }
    }
    error = errors.error_from_response(401, json.dumps(body))
    assert type(error) is errors.AuthenticationError
    assert (error.code, error.detail, error.fault_type) == (
        "3200",
        "Token expired: 0",
        "AUTHENTICATION",
    )
    # the code can also be found inside the gateway message only
    del body["fault"]["error"][0]["code"]
    body["fault"]["error"][0]["message"] = (
        "message=ApplicationAuthorizationFailed; errorCode=003100"
    )
    error = errors.error_from_response(403, json.dumps(body))
    assert type(error) is errors.AuthorizationError and error.code == "3100"


STALE = "Stale Object Error : You and Bob were working on this"
BUSY = "A business validation error has occurred. Please wait a few minutes and try again."


@pytest.mark.parametrize(
    "status, code, detail, cls",
    [
        (400, "5010", STALE, errors.StaleObjectError),
        (400, "4000", "Error parsing query", errors.QueryError),
        (400, "4001", "Invalid query", errors.QueryError),
        (400, "4002", "Error processing query", errors.QueryError),
        (400, "6000", BUSY, errors.TransientError),
        (400, "6000", "Fill out at least two detail lines.", errors.ValidationError),
        (400, "2020", "Required parameter Line is missing", errors.ValidationError),
        (403, "120", "Authorization Failure", errors.AuthorizationError),
        (429, "3001", "ThrottleExceeded", errors.ThrottledError),
        (403, "3001", "ThrottleExceeded", errors.ThrottledError),
        (500, "10000", "An application error has occurred", errors.ServerError),
        (503, None, "", errors.ServerError),
    ],
)
def test_code_mapping(status, code, detail, cls):
    fault = {"Fault": {"Error": [{"Message": "msg", "Detail": detail, "code": code}]}}
    error = errors.error_from_response(status, json.dumps(fault), retry_after=3)
    assert type(error) is cls
    assert error.retryable is (
        cls in (errors.TransientError, errors.ThrottledError, errors.ServerError)
    )
    if cls is errors.ThrottledError:
        assert error.retry_after == 3


def test_non_json_bodies():
    html = errors.error_from_response(
        502, "<html><body>Bad   gateway</body></html>", reason="Bad Gateway"
    )
    assert type(html) is errors.ServerError
    assert "502" in str(html) and "Bad gateway" in str(html)
    xml = (
        '<IntuitResponse><Fault type="AUTHENTICATION"><Error code="100">'
        "<Message>General Authentication Error</Message><Detail>AuthenticationErrorGeneral"
        "</Detail></Error></Fault></IntuitResponse>"
    )
    error = errors.error_from_response(401, xml)
    assert type(error) is errors.AuthenticationError
    assert (error.code, error.message) == ("100", "General Authentication Error")
    empty = errors.error_from_response(401, "")
    assert type(empty) is errors.AuthenticationError and "401" in str(empty)


def test_oauth_error_body():
    error = errors.error_from_response(
        400, json.dumps(sample_json("oauth_error_invalid_grant_refresh_token.json"))
    )
    assert error.code == "invalid_grant"
    assert "Incorrect or invalid refresh token" in str(error)


def test_str_is_short():
    error = errors.ValidationError("Bad", detail="x" * 5000)
    assert len(str(error)) <= 300
    assert "ValidationError" in repr(error)
