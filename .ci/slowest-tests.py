#!/usr/bin/env python3
"""Prints the slowest tests and the slowest test classes of one or more .trx files (dotnet test --logger trx)."""
import sys
import xml.etree.ElementTree as ElementTree
from collections import defaultdict

NAMESPACE = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
SHOWN = 25


def seconds(duration):
    hours, minutes, rest = duration.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


tests = []
for path in sys.argv[1:]:
    for result in ElementTree.parse(path).getroot().iter(NAMESPACE + "UnitTestResult"):
        if result.get("duration"):
            tests.append((seconds(result.get("duration")), result.get("testName")))

classes = defaultdict(float)
for took, name in tests:
    # The class is the name up to the method: the part before the last dot outside a theory's arguments.
    method = name.split("(", 1)[0]
    classes[method.rsplit(".", 1)[0]] += took

print(f"{len(tests)} tests, {sum(t for t, _ in tests) / 60:.1f} min in all")
for took, name in sorted(tests, reverse=True)[:SHOWN]:
    print(f"{took:8.1f} s  {name}")
print("by class:")
for name, took in sorted(classes.items(), key=lambda item: item[1], reverse=True)[:SHOWN]:
    print(f"{took:8.1f} s  {name}")
