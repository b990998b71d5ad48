#!/usr/bin/env python3
"""Writes utc-times.txt: instants and their RFC 3339 UTC text as Python's datetime gives them
(the proleptic Gregorian calendar), the independent reference for convoy's UTCTime printer.

Each line: seconds since 1970-01-01T00:00:00Z (a repr that reads back exactly), the text with
whole seconds unless there is a fraction, and the text with three decimals. Run from this folder:
    python3 make-utc-times.py > utc-times.txt
Seeded, so the file only changes if this script does.
"""
import datetime
import math
import random

EPOCH = datetime.datetime(1970, 1, 1)


def text(t, milliseconds):
    whole = t // 1
    millis = math.floor((t - whole) * 1000 + 0.5)  # half away from zero, as Swift's rounded()
    if millis == 1000:
        whole, millis = whole + 1, 0
    moment = EPOCH + datetime.timedelta(seconds=int(whole))
    out = moment.strftime("%Y-%m-%dT%H:%M:%S")
    # strftime's %Y does not pad years below 1000 on every platform: pad by hand.
    out = "%04d%s" % (moment.year, out[out.index("-"):])
    if millis or milliseconds:
        out += ".%03d" % millis
    return out + "Z"


def seconds(moment):
    return (moment - EPOCH).total_seconds()


def main():
    rng = random.Random(17)
    instants = []
    # Edges: the first and last second Python has, the Gregorian reform, leap-day rules, 1970.
    for y, m, d in [(1, 1, 1), (1, 12, 31), (4, 2, 29), (100, 3, 1), (400, 2, 29), (1000, 1, 1), (1582, 10, 4),
                    (1582, 10, 15), (1583, 1, 1), (1600, 2, 29), (1700, 2, 28), (1700, 3, 1), (1899, 12, 31),
                    (1969, 12, 31), (1970, 1, 1), (2000, 2, 29), (2017, 8, 28), (2100, 3, 1), (9999, 12, 31)]:
        day = datetime.datetime(y, m, d)
        instants += [seconds(day), seconds(day) + 86399, seconds(day) + 43200.5]
    instants.append(seconds(datetime.datetime(9999, 12, 31, 23, 59, 59)) + 0.999)
    lowest = seconds(datetime.datetime(1, 1, 1))
    highest = seconds(datetime.datetime(9999, 12, 31, 23, 59, 59))
    for _ in range(1500):
        instants.append(float(rng.randint(int(lowest), int(highest))))
    for _ in range(500):
        instants.append(rng.randint(int(lowest), int(highest)) + rng.randint(0, 999) / 1000)
    for t in instants:
        print(repr(float(t)), text(t, False), text(t, True))


if __name__ == "__main__":
    main()
