# SPDX-License-Identifier: AGPL-3.0-or-later
"""The partnerships iCalendar writer, checked by a standard library.

tests/unit/ical_sample.c prints a representative calendar written by
src/app/calendar/ical.c; python3-icalendar must parse it and give back
exactly the events, times and text that went in (escaping and folding
undone). The program is found in the build directory named by TANDEM_BUILD,
which tests/run sets.
"""
import datetime
import os
import subprocess

import icalendar  # python3-icalendar, a test dependency like pytest
import pytest

UTC = datetime.timezone.utc


@pytest.fixture(scope="module")
def raw():
    build = os.environ.get("TANDEM_BUILD")
    if not build:
        pytest.skip("TANDEM_BUILD is not set (tests/run sets it)")
    program = os.path.join(build, "tests", "unit", "ical_sample")
    assert os.path.exists(program), "build the ical_sample target first: %s" % program
    return subprocess.run([program], check=True, capture_output=True).stdout


@pytest.fixture(scope="module")
def cal(raw):
    return icalendar.Calendar.from_ical(raw)


def events(cal):
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_the_output_is_crlf_folded_utf8_of_at_most_75_octets_a_line(raw):
    raw.decode("utf-8")  # the whole feed is UTF-8
    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines) and b"\r" not in b"".join(lines)
    assert all(len(line) <= 75 for line in lines)
    for line in lines:
        line.decode("utf-8")  # no line ends inside a character
    folded = [i for i in range(len(lines) - 1) if lines[i + 1].startswith(b" ")]
    assert folded, "the sample should fold"
    # At least one fold moved back to keep a character whole (a line cut short of 75 octets).
    assert any(len(lines[i]) < 75 for i in folded)


def test_the_calendar_has_its_properties(cal):
    assert cal.name == "VCALENDAR"
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == "-//Tandem//Partnerships//EN"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["X-WR-CALNAME"]) == "Tandem: Zo\u00eb's partnerships, 2025"


def test_there_are_two_meetings_and_one_due_date(cal):
    assert sorted(events(cal)) == ["action-17@tandem", "meeting-42@tandem", "meeting-43@tandem"]


def test_a_meeting_has_utc_times_and_a_stamp(cal):
    e = events(cal)["meeting-42@tandem"]
    assert e.decoded("DTSTART") == datetime.datetime(2025, 3, 3, 16, 0, tzinfo=UTC)
    assert e.decoded("DTEND") == datetime.datetime(2025, 3, 3, 17, 15, tzinfo=UTC)
    assert e.decoded("DTSTAMP") == datetime.datetime(2025, 2, 19, 21, 20, tzinfo=UTC)
    assert str(e["STATUS"]) == "CONFIRMED"


def test_escaped_text_reads_back_as_written(cal):
    e = events(cal)["meeting-42@tandem"]
    assert str(e["SUMMARY"]) == "Reading partnership, meeting 3; data \\ review"
    assert str(e["LOCATION"]) == "Leeds City Academy, Room 4"
    assert str(e["URL"]) == "https://tandem.example/partnerships/7/meetings/42"


def test_a_folded_description_with_multibyte_characters_reads_back_whole(cal):
    e = events(cal)["meeting-42@tandem"]
    assert str(e["DESCRIPTION"]) == (
        "Agenda:\n1. Reading data \u2014 Year 6; Zo\u00eb's notes\n"
        "2. Next steps, owners, dates\n"
        "Long line: caf\u00e9 cr\u00e8me br\u00fbl\u00e9e \u20ac12 \U0001F4DA "
        "na\u00efve fa\u00e7ade \u00fcber \u00e9l\u00e8ve \u20ac \u20ac \u20ac "
        "\U0001F4DA\U0001F4DA\U0001F4DA \u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9 end.\n"
        + "\u20ac" * 25
        + "\U0001F4DA" * 20
    )


def test_a_cancelled_meeting_is_marked_cancelled(cal):
    e = events(cal)["meeting-43@tandem"]
    assert str(e["STATUS"]) == "CANCELLED"
    assert "LOCATION" not in e and "DESCRIPTION" not in e


def test_a_due_date_is_a_whole_day(cal):
    e = events(cal)["action-17@tandem"]
    assert e.decoded("DTSTART") == datetime.date(2025, 3, 31)
    assert e.decoded("DTEND") == datetime.date(2025, 4, 1)
    assert str(e["SUMMARY"]) == "Send the reading data, both schools"
    assert str(e["DESCRIPTION"]) == "Owner: Zo\u00eb; see the shared folder"
    assert str(e["TRANSP"]) == "TRANSPARENT"


def test_the_calendar_writes_back_to_the_same_content(cal):
    again = icalendar.Calendar.from_ical(cal.to_ical())
    assert [str(e["UID"]) for e in again.walk("VEVENT")] == [str(e["UID"]) for e in cal.walk("VEVENT")]
    assert [str(e.get("DESCRIPTION")) for e in again.walk("VEVENT")] == [
        str(e.get("DESCRIPTION")) for e in cal.walk("VEVENT")
    ]
