#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Golden values for cxm's calendar periods (sdk/src/report/period.cpp, time_zone.cpp).

Independent of the C++ code: offsets come from CPython's zoneinfo (ZoneInfo.from_file on the
TZif files committed under tests/data/tz), local dates from datetime.astimezone, ISO weeks from
date.isocalendar(). Period boundaries are found by search: the start of local date D is the
first second whose local date is D or later, found by stepping 15 minutes from 27 hours before
D's midnight and bisecting the step where the date is reached. Transitions are found the same
way (hourly offsets, bisected to the second), never read from the files.

    python3 tests/data/golden/period_golden.py           # writes tests/data/period_golden.json
    python3 tests/data/golden/period_golden.py --check   # fails if the file differs

Each case is [utc_ms, offset_s, day, week, month], each period [label, start_ms, end_ms, index]:
index is days since 1970-01-01 (day), weeks since the week of Monday 1969-12-29 (week), and
year * 12 + month - 1 (month).
"""
import calendar
import datetime as dt
import json
import pathlib
import sys
from zoneinfo import ZoneInfo

HERE = pathlib.Path(__file__).resolve().parent
DATA = HERE.parent
OUT = DATA / "period_golden.json"
UTC = dt.timezone.utc
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)

ZONES = [
    "UTC", "Europe/Berlin", "America/New_York", "Asia/Jerusalem", "Australia/Lord_Howe", "Asia/Kolkata",
    "America/Sao_Paulo", "Pacific/Chatham", "Asia/Beirut", "America/Havana", "Pacific/Apia", "America/Nuuk",
    "Antarctica/Troll", "Asia/Tehran",
]
# Years scanned for transitions: the table (1916 onwards), midnight changes (Sao Paulo 2018,
# Beirut, Havana), the Apia date-line jump (2011), the end of fat files' tables (2037) and
# the footer rule after it (2038, 2039, 2100).
SCAN_YEARS = [1916, 1945, 1970, 1996, 2011, 2018, 2019, 2024, 2026, 2037, 2038, 2039, 2100]
# Fixed instants (UTC): ISO week-year boundaries, leap days, far past and far future.
FIXED = [
    "2020-12-31T12:00", "2021-01-03T12:00", "2021-01-04T12:00", "2024-12-29T12:00", "2024-12-30T12:00",
    "2026-01-01T00:00", "2026-10-05T09:30", "2027-01-01T12:00", "2015-12-31T23:59", "2016-01-01T00:00",
    "2000-02-29T12:00", "2024-02-29T12:00", "2100-02-28T12:00", "2100-03-01T12:00", "2100-12-31T12:00",
    "1000-06-15T12:00", "1800-01-01T00:00", "1850-07-01T12:00", "1969-12-31T23:59", "1970-01-01T00:00",
    "1600-02-29T12:00", "2400-02-29T12:00", "2999-12-31T12:00",
]


def local(zone, seconds):
    return (EPOCH + dt.timedelta(seconds=seconds)).astimezone(zone)


def offset(zone, seconds):
    return int(local(zone, seconds).utcoffset().total_seconds())


def transitions(zone, year):
    """Seconds at which the offset changes during `year` (UTC), to the second."""
    t = calendar.timegm((year, 1, 1, 0, 0, 0))
    end = calendar.timegm((year + 1, 1, 1, 0, 0, 0))
    found = []
    previous = offset(zone, t)
    while t < end:
        nxt = t + 3600
        o = offset(zone, nxt)
        if o != previous:
            lo, hi = t, nxt  # offset(lo) == previous, offset(hi) differs
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if offset(zone, mid) == previous:
                    lo = mid
                else:
                    hi = mid
            found.append(hi)
            previous = o
        t = nxt
    return found


_starts = {}


def first_instant(zone, name, day):
    """The first second whose local date in `zone` is `day` or later."""
    key = (name, day)
    if key in _starts:
        return _starts[key]
    midnight = calendar.timegm(day.timetuple())
    t = midnight - 27 * 3600

    def reached(s):
        return local(zone, s).date() >= day

    assert not reached(t)
    while not reached(t + 900):
        t += 900
    lo, hi = t, t + 900
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if reached(mid):
            hi = mid
        else:
            lo = mid
    _starts[key] = hi
    return hi


def case(zone, name, ms):
    seconds = ms // 1000
    when = (EPOCH + dt.timedelta(milliseconds=ms)).astimezone(zone)
    d = when.date()
    iso = d.isocalendar()
    monday = d - dt.timedelta(days=iso.weekday - 1)
    first = d.replace(day=1)
    next_month = (first + dt.timedelta(days=32)).replace(day=1)
    periods = []
    for label, a, b, index in (
        (d.isoformat(), d, d + dt.timedelta(days=1), (d - dt.date(1970, 1, 1)).days),
        (f"{iso.year:04d}-W{iso.week:02d}", monday, monday + dt.timedelta(days=7),
         (monday - dt.date(1969, 12, 29)).days // 7),
        (f"{d.year:04d}-{d.month:02d}", first, next_month, d.year * 12 + d.month - 1),
    ):
        start, end = first_instant(zone, name, a) * 1000, first_instant(zone, name, b) * 1000
        assert start <= ms < end, (name, ms, label, start, end)
        periods.append([label, start, end, index])
    return [ms, int(when.utcoffset().total_seconds())] + periods


def instants(zone):
    out = set()
    for year in SCAN_YEARS:
        for t in transitions(zone, year):
            for delta in (-3600_000, -1, 0, 1, 1800_000):
                out.add(t * 1000 + delta)
    for text in FIXED:
        ms = int(dt.datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()) * 1000
        out.update((ms, ms + 1))
    return sorted(out)


def main():
    zones = []
    for name in ZONES:
        path = DATA / "tz" / name
        with open(path, "rb") as f:
            zone = ZoneInfo.from_file(f, key=name)
        zones.append({"name": name, "file": f"tz/{name}", "cases": [case(zone, name, ms) for ms in instants(zone)]})
    doc = {"generator": "tests/data/golden/period_golden.py", "tzdata": "see tests/data/tz/README.md",
           "case": ["utc_ms", "offset_s", "day", "week", "month"], "period": ["label", "start_ms", "end_ms", "index"],
           "zones": zones}
    text = "{\n" + ",\n".join(
        f"{json.dumps(k)}: " + (json.dumps(v) if k != "zones" else "[\n" + ",\n".join(
            "{" + f"\"name\": {json.dumps(z['name'])}, \"file\": {json.dumps(z['file'])}, \"cases\": [\n"
            + ",\n".join(json.dumps(c, separators=(",", ":")) for c in z["cases"]) + "]}" for z in v) + "]")
        for k, v in doc.items()) + "\n}\n"
    json.loads(text)  # well-formed
    if "--check" in sys.argv:
        if OUT.read_text() != text:
            sys.exit(f"{OUT} differs from what {__file__} computes")
        return
    OUT.write_text(text)
    print(f"wrote {OUT}: {sum(len(z['cases']) for z in zones)} cases in {len(zones)} zones")


if __name__ == "__main__":
    main()
