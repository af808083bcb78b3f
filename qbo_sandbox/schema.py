"""Property checking: QBO's deserializer refuses any unknown or misplaced property (2010).

A payload is checked against a tree of :class:`Obj` (a complex type and its properties),
:class:`Many` (a list of one type), :class:`Lines` (transaction lines, whose detail object is
named by ``DetailType``) and :class:`Text` (a string with a maximum length, fault 2050). Any
other leaf is a plain scalar. The tables themselves are in :mod:`qbo_sandbox.properties`.
"""

from dataclasses import dataclass, field

from . import faults

CLASS_PREFIX = "com.intuit.schema.finance.v3."


@dataclass(frozen=True)
class Text:
    """A string property of at most ``max_len`` characters."""

    max_len: int


SCALAR = None  # a property holding a number, string or boolean


@dataclass
class Obj:
    """A complex type: ``cls`` names it in faults, ``props`` maps property -> spec."""

    cls: str
    props: dict = field(default_factory=dict)

    def extend(self, cls: str, **props) -> "Obj":
        return Obj(cls, {**self.props, **props})


@dataclass
class Many:
    item: object


@dataclass
class Lines:
    """Transaction lines: ``base`` properties plus the one detail object ``DetailType`` names.

    ``details`` maps a DetailType to ``(property holding the detail, its Obj)``; ``default``
    is the DetailType of a line that leaves it out (JournalEntry).
    """

    base: Obj
    details: dict
    default: str | None = None
    max_lines: int | None = None


def scalars(*names, **specials) -> dict:
    """Property table: ``names`` are plain scalars, but for the ``...Ref`` ones, which are
    references (QBO names every ReferenceType property so); ``specials`` carry their own spec."""
    return {**{name: REF if name.endswith("Ref") else SCALAR for name in names}, **specials}


REF = Obj("ReferenceType", scalars("value", "name", "type"))


def unknown(name: str, cls: str) -> faults.QboFault:
    return faults.invalid_property(
        f'Property Name:Unrecognized field "{name}" (class {CLASS_PREFIX}{cls}), not marked '
        "as ignorable specified is unsupported or invalid",
        name,
    )


def wrong_shape(name: str, expected: str, value) -> faults.QboFault:
    token = {dict: "START_OBJECT", list: "START_ARRAY", str: "VALUE_STRING"}.get(
        type(value), "VALUE_NUMBER"
    )
    return faults.invalid_property(
        f"Property Name:Can not deserialize instance of {expected} out of {token} token "
        "specified is unsupported or invalid",
        name,
    )


def check(spec, value, name: str) -> None:
    """Raise the QboFault QBO gives when ``value`` doesn't fit ``spec``."""
    if value is None:
        return
    if isinstance(spec, Obj):
        if not isinstance(value, dict):
            raise wrong_shape(name, CLASS_PREFIX + spec.cls, value)
        for key, item in value.items():
            if key not in spec.props:
                raise unknown(key, spec.cls)
            check(spec.props[key], item, key)
    elif isinstance(spec, Many):
        if not isinstance(value, list):
            raise wrong_shape(name, "java.util.ArrayList", value)
        for item in value:
            check(spec.item, item, name)
    elif isinstance(spec, Lines):
        check_lines(spec, value, name)
    elif isinstance(value, (dict, list)):
        raise wrong_shape(name, "java.lang.String", value)
    elif isinstance(spec, Text) and len(str(value)) > spec.max_len:
        raise faults.too_long(name, str(value), spec.max_len)


def check_lines(spec: Lines, value, name: str) -> None:
    if not isinstance(value, list):
        raise wrong_shape(name, "java.util.ArrayList", value)
    lines = value
    if spec.max_lines is not None and len(lines) > spec.max_lines:
        raise faults.business(
            f"A transaction can have at most {spec.max_lines} lines; this one has {len(lines)}.",
            name,
        )
    by_key = dict(spec.details.values())
    for line in lines:
        if not isinstance(line, dict):
            raise wrong_shape(name, CLASS_PREFIX + "Line", line)
        kind = line.get("DetailType") or spec.default
        if kind and kind not in spec.details:
            raise faults.invalid_enum("DetailType", kind)
        own_key = spec.details[kind][0] if kind else None
        for key, item in line.items():
            if key in by_key:
                if kind and key != own_key:
                    raise faults.invalid_property(
                        f"Property Name:{key} specified is unsupported or invalid: a line with "
                        f"DetailType {kind} carries {own_key}",
                        key,
                    )
                check(by_key[key], item, key)
            elif key in spec.base.props:
                check(spec.base.props[key], item, key)
            else:
                raise unknown(key, spec.base.cls)
