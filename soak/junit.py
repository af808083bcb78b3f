"""The soak's result as a JUnit file, one test case per scenario, so that ``make test``
counts it in its summary (scripts/summary.py) like the other test runs."""

import xml.etree.ElementTree as ET

import counts


def write(path, profile, results):
    """Write ``results`` (``[(scenario, figures)]``) of sandbox profile ``profile`` to ``path``."""
    failures = sum(1 for _name, figures in results if counts.failed(figures))
    suite = ET.Element(
        "testsuite",
        name=f"soak-{profile}",
        tests=str(len(results)),
        failures=str(failures),
        errors="0",
        skipped="0",
    )
    for name, figures in results:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"soak.{profile}",
            name=name,
            time=f"{figures['seconds']:.1f}",
        )
        if counts.failed(figures):
            failure = ET.SubElement(case, "failure", message=counts.summary(figures))
            failure.text = "\n".join(figures["problems"])
    ET.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)
