"""QBO fault bodies and the exception that carries them through the sandbox."""

from . import const


def error(code: str, message: str, detail: str, element: str = "") -> dict:
    """One entry of ``Fault.Error``."""
    return {"Message": message, "Detail": detail, "code": str(code), "element": element}


class QboFault(Exception):
    """A QBO ``Fault`` answer (``{"Fault": {"Error": [...], "type": ...}, "time": ...}``)."""

    def __init__(self, errors, fault_type="ValidationFault", status=400, headers=None):
        self.errors = list(errors)
        self.fault_type = fault_type
        self.status = status
        self.headers = dict(headers or {})
        super().__init__("; ".join(e["Detail"] for e in self.errors))

    def fault(self) -> dict:
        return {"Error": self.errors, "type": self.fault_type}

    def body(self, time_str: str) -> dict:
        return {"Fault": self.fault(), "time": time_str}


class GatewayFault(QboFault):
    """401/403 from Intuit's API gateway: lower-case ``fault`` shape, epoch-millis ``time``."""

    def body(self, time_str: str, epoch_ms: int = 0) -> dict:
        lower = [
            {"message": e["Message"], "detail": e["Detail"], "code": e["code"], "element": None}
            for e in self.errors
        ]
        return {
            "warnings": None,
            "intuitObject": None,
            "fault": {"error": lower, "type": self.fault_type},
            "report": None,
            "queryResponse": None,
            "batchItemResponse": [],
            "attachableResponse": [],
            "syncErrorResponse": None,
            "requestId": None,
            "time": epoch_ms,
            "status": None,
            "cdcresponse": [],
        }


def validation(code, message, detail, element="") -> QboFault:
    return QboFault([error(code, message, detail, element)])


def raise_all(errors: list) -> None:
    """Raise one ValidationFault holding every collected error (QBO reports several at once)."""
    if errors:
        raise QboFault(errors)


def required_error(element: str) -> dict:
    return error(
        "2020",
        const.MSG_REQUIRED,
        f"Required parameter {element} is missing in the request",
        element,
    )


def required(element: str) -> QboFault:
    return QboFault([required_error(element)])


def too_long(element: str, value: str, max_len: int) -> QboFault:
    detail = (
        "String length specified does not match the supported length. "
        f"Min:0 Max:{max_len} supplied:{len(value)}"
    )
    return validation("2050", const.MSG_LENGTH, detail, element)


def business(detail: str, element: str = "") -> QboFault:
    return validation("6000", const.MSG_BUSINESS, f"Business Validation Error: {detail}", element)


def transient() -> QboFault:
    return validation("6000", const.MSG_BUSINESS, const.DETAIL_TRANSIENT)


def deleted_txn() -> QboFault:
    return validation("610", const.MSG_NOT_FOUND, const.DETAIL_DELETED)


def inactive(element: str = "") -> QboFault:
    return validation("610", const.MSG_NOT_FOUND, const.DETAIL_INACTIVE, element)


def invalid_ref(kind: str, value, element: str = "") -> QboFault:
    detail = f"{const.MSG_INVALID_REF} : {kind} element id {value} not found"
    return validation("2500", const.MSG_INVALID_REF, detail, element)


def stale() -> QboFault:
    return validation("5010", const.MSG_STALE, const.DETAIL_STALE)


def period_closed() -> QboFault:
    return validation("6210", const.MSG_PERIOD_CLOSED, const.DETAIL_PERIOD_CLOSED, "TxnDate")


def duplicate_name(detail: str) -> QboFault:
    return validation("6240", const.MSG_DUP_NAME, detail)


def duplicate_docnumber_error(doc: str, txn_type: str, txn_id: str) -> dict:
    detail = const.DETAIL_DUP_DOC.format(doc=doc, txn_type=txn_type, txn_id=txn_id)
    return error("6140", const.MSG_DUP_DOC, detail)


def invalid_enum(element: str, value) -> QboFault:
    return validation("2170", const.MSG_ENUM, f"Invalid Enumeration : {value}", element)


def invalid_property(detail: str, element: str = "") -> QboFault:
    return validation("2010", const.MSG_INVALID_PROPERTY, detail, element)


def unsupported(operation: str, entity: str) -> QboFault:
    detail = f"Operation {operation} is not supported for {entity}."
    return validation("500", const.MSG_UNSUPPORTED, detail)


def unsupported_path(path: str) -> QboFault:
    """A known entity with a path QBO has no operation for (``customer/1/5``): 400, code 500."""
    return validation("500", const.MSG_UNSUPPORTED, f"Unsupported Operation : {path}")


def invalid_id(value) -> QboFault:
    return validation(
        "2030", "Invalid ID", f"Id should be a valid number. Supplied value:{value}", "Id"
    )


def query_parse(detail: str) -> QboFault:
    return validation("4000", const.MSG_QUERY_PARSE, f"QueryParserError: {detail}")


def query_invalid(detail: str) -> QboFault:
    return validation("4001", const.MSG_QUERY_INVALID, f"QueryValidationError: {detail}")


def system(status: int = 500) -> QboFault:
    return QboFault(
        [error("10000", const.MSG_SYSTEM, const.DETAIL_SYSTEM)], "SystemFault", status=status
    )


def throttled(retry_after: int) -> QboFault:
    return QboFault(
        [error("3001", const.MSG_THROTTLE, const.DETAIL_THROTTLE)],
        "SERVICE",
        status=429,
        headers={"Retry-After": str(retry_after)},
    )


def throttle_xml(time_str: str) -> bytes:
    """A 429 body as QBO has sent it: XML, even to a client that asked for JSON."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="{time_str}">'
        '<Fault type="SERVICE"><Error code="3001">'
        f"<Message>{const.MSG_THROTTLE}</Message><Detail>{const.DETAIL_THROTTLE}</Detail>"
        "</Error></Fault></IntuitResponse>"
    ).encode()


def authentication(detail: str) -> GatewayFault:
    return GatewayFault([error("3200", const.MSG_AUTHN, detail)], "AUTHENTICATION", status=401)


def authorization(detail: str) -> GatewayFault:
    return GatewayFault([error("3100", const.MSG_AUTHZ, detail)], "AUTHORIZATION", status=403)


def not_found_url(path: str) -> QboFault:
    detail = f"Unsupported operation requested for path {path}"
    return QboFault([error("404", "Resource not found", detail)], "SERVICE", status=404)
