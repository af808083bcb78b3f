"""QBO's query language: ``SELECT * | count(*) FROM Entity [WHERE ...] [ORDERBY ...] ...``."""

import copy
import re
from dataclasses import dataclass, field

from . import const, faults
from .clock import parse_moment
from .entities import lookup
from .store import id_sort_key

TOKEN_RE = re.compile(
    r"""\s*(?:
        (?P<string>'(?:\\.|[^'\\])*')
      | (?P<unterminated>'.*)
      | (?P<number>-?\d+(?:\.\d+)?)(?![\w.])
      | (?P<op><=|>=|<|>|=)
      | (?P<punct>[(),*])
      | (?P<ident>[A-Za-z_][A-Za-z0-9_.]*)
      | (?P<bad>\S)
    )""",
    re.VERBOSE,
)
KEYWORDS = {
    "select",
    "from",
    "where",
    "and",
    "orderby",
    "order",
    "by",
    "asc",
    "desc",
    "startposition",
    "maxresults",
    "in",
    "like",
    "count",
}
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}")
#: entities whose query pages carry ``totalCount`` (seen in real answers; name lists don't)
TOTAL_COUNT_ENTITIES = frozenset({"Invoice", "Bill", "JournalEntry", "BillPayment"})


@dataclass
class Token:
    kind: str
    text: str
    value: object
    column: int


@dataclass
class Condition:
    field: str
    op: str
    values: list


@dataclass
class Query:
    entity: str
    count: bool = False
    where: list[Condition] = field(default_factory=list)
    order: list[tuple[str, bool]] = field(default_factory=list)  # (field, descending)
    start: int = 1
    max_results: int = const.QUERY_DEFAULT_MAX


def tokenize(text: str) -> list[Token]:
    tokens, pos = [], 0
    text = text.strip()
    while pos < len(text):
        match = TOKEN_RE.match(text, pos)
        if not match or match.end() == pos:
            break
        kind = match.lastgroup
        raw = match.group(kind)
        column = match.start(kind) + 1
        if kind == "unterminated":
            raise faults.query_parse(
                f'Lexical error at line 1, column {column}.  Encountered: <EOF> after : "\'"'
            )
        if kind == "bad":
            raise faults.query_parse(
                f'Lexical error at line 1, column {column}.  Encountered: "{raw}"'
            )
        value: object = raw
        if kind == "string":
            value = re.sub(r"\\(.)", r"\1", raw[1:-1])
        elif kind == "number":
            value = float(raw)
        elif kind == "ident" and raw.lower() in KEYWORDS:
            kind = "kw"
            value = raw.lower()
        elif kind == "ident" and raw.lower() in ("true", "false"):
            kind, value = "bool", raw.lower() == "true"
        tokens.append(Token(kind, raw, value, column))
        pos = match.end()
    return tokens


class Parser:
    def __init__(self, text: str):
        self.tokens = tokenize(text)
        self.pos = 0

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def fail(self, expected: str):
        token = self.peek()
        if token is None:
            raise faults.query_parse(
                f'Encountered "<EOF>" at end of query. Was expecting: {expected}'
            )
        raise faults.query_parse(
            f'Encountered " {token.text} " at line 1, column {token.column}. '
            f"Was expecting: {expected}"
        )

    def take(self, kind: str, value=None, expected: str = "") -> Token:
        token = self.peek()
        if token is None or token.kind != kind or (value is not None and token.value != value):
            self.fail(expected or (value if isinstance(value, str) else kind))
        self.pos += 1
        return token

    def accept(self, kind: str, value=None) -> Token | None:
        token = self.peek()
        if token and token.kind == kind and (value is None or token.value == value):
            self.pos += 1
            return token
        return None

    def parse(self) -> Query:
        self.take("kw", "select", '"select"')
        count = False
        if self.accept("kw", "count"):
            self.take("punct", "(", '"("')
            self.take("punct", "*", '"*"')
            self.take("punct", ")", '")"')
            count = True
        else:
            self.take("punct", "*", '"*" or "count(*)"')
        self.take("kw", "from", '"from"')
        query = Query(entity=self.take("ident", expected="<entity name>").text, count=count)
        if self.accept("kw", "where"):
            query.where.append(self.condition())
            while self.accept("kw", "and"):
                query.where.append(self.condition())
        if self.accept("kw", "orderby") or (self.accept("kw", "order") and self.take("kw", "by")):
            query.order.append(self.order_item())
            while self.accept("punct", ","):
                query.order.append(self.order_item())
        while self.peek() is not None:
            if self.accept("kw", "startposition"):
                query.start = int(self.take("number", expected="<number>").value)
            elif self.accept("kw", "maxresults"):
                query.max_results = int(self.take("number", expected="<number>").value)
                if not 1 <= query.max_results <= const.QUERY_MAX:
                    raise faults.query_invalid(
                        f"MAXRESULTS must be between 1 and {const.QUERY_MAX}, not "
                        f"{query.max_results}"
                    )
            else:
                self.fail('"where", "orderby", "startposition", "maxresults" or <EOF>')
        return query

    def condition(self) -> Condition:
        name = self.take("ident", expected="<property name>").text
        if self.accept("kw", "in"):
            self.take("punct", "(", '"("')
            values = [self.literal()]
            while self.accept("punct", ","):
                values.append(self.literal())
            self.take("punct", ")", '")"')
            if len(values) > const.QUERY_IN_MAX:
                raise faults.query_invalid(
                    f"an IN list can hold at most {const.QUERY_IN_MAX} values, not {len(values)}"
                )
            return Condition(name, "in", values)
        if self.accept("kw", "like"):
            return Condition(name, "like", [self.take("string", expected="<string>").value])
        op = self.take("op", expected='"=", "<", ">", "<=", ">=", "in" or "like"').text
        return Condition(name, op, [self.literal()])

    def literal(self):
        token = self.peek()
        if token is None or token.kind not in ("string", "number", "bool"):
            self.fail("<string>, <number>, true or false")
        self.pos += 1
        return token.value

    def order_item(self) -> tuple[str, bool]:
        name = self.take("ident", expected="<property name>").text
        descending = bool(self.accept("kw", "desc"))
        if not descending:
            self.accept("kw", "asc")
        return name, descending


def parse(text: str) -> Query:
    if not text or not text.strip():
        raise faults.query_parse('Encountered "<EOF>" at line 1, column 1. Was expecting: "select"')
    return Parser(text).parse()


def field_value(obj: dict, path: str):
    value = obj
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    if isinstance(value, dict):
        value = value.get("value", value.get("Address", value.get("FreeFormNumber")))
    return value


def compare_key(value, literal):
    """Turn a field value and a literal into comparable twins."""
    if isinstance(value, bool):
        return value, literal is True or str(literal).lower() == "true"
    if isinstance(value, (int, float)):
        return float(value), float(literal)
    text, lit = str(value), str(literal)
    if text.isdigit() and lit.isdigit():
        return int(text), int(lit)
    if DATE_RE.match(text) and DATE_RE.match(lit):
        return parse_moment(text), parse_moment(lit)
    return text.lower(), lit.lower()


def matches(obj: dict, cond: Condition) -> bool:
    value = field_value(obj, cond.field)
    if value is None:
        return False
    try:
        if cond.op == "like":
            pattern = ".*".join(re.escape(p) for p in str(cond.values[0]).split("%"))
            return re.fullmatch(pattern, str(value), re.IGNORECASE | re.DOTALL) is not None
        pairs = [compare_key(value, literal) for literal in cond.values]
    except (ValueError, TypeError):
        raise faults.validation(
            "4002",
            "Error processing query",
            f"QueryProcessingError: invalid value for {cond.field}",
        ) from None
    if cond.op in ("=", "in"):
        return any(a == b for a, b in pairs)
    a, b = pairs[0]
    return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[cond.op]


def canonical_field(entity, name: str) -> str:
    by_lower = {f.lower(): f for f in entity.filterable}
    if name.lower() not in by_lower:
        raise faults.query_invalid(f"property '{name}' is not queryable")
    return by_lower[name.lower()]


def execute(company, text: str) -> dict:
    """Run a query against ``company``; return the ``QueryResponse`` object."""
    query = parse(text)
    entity = lookup(query.entity)
    if entity is None:
        raise faults.query_parse(f"Invalid entity name: {query.entity}")
    for cond in query.where:
        cond.field = canonical_field(entity, cond.field)
    order = [(canonical_field(entity, name), desc) for name, desc in query.order]
    rows = company.values(entity.name)
    if entity.name_list and not any(c.field == "Active" for c in query.where):
        rows = [r for r in rows if r.get("Active", True) is not False]
    rows = [r for r in rows if all(matches(r, c) for c in query.where)]
    if query.count:
        return {"totalCount": len(rows)}
    for name, desc in reversed(order):
        rows.sort(key=lambda r, n=name: sort_key(field_value(r, n)), reverse=desc)
    start = max(query.start, 1)
    page = copy.deepcopy(rows[start - 1 : start - 1 + query.max_results])
    if not page:
        return {}
    answer = {entity.name: page, "startPosition": start, "maxResults": len(page)}
    if entity.name in TOTAL_COUNT_ENTITIES:
        answer["totalCount"] = len(page)
    return answer


def sort_key(value):
    if value is None:
        return (0, 0, "")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (1, float(value), "")
    text = str(value)
    if text.isdigit():
        return (1,) + id_sort_key(text)[1:]
    return (2, 0, text.lower())
