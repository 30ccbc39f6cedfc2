"""Invented minutes in the variants the importer must read, and the reference data they need."""

import json

from meetings.management.commands.loaddemo import DEMO_FILE, load


def load_reference_data():
    """The demo's delegations, aliases, presidencies and coordinators, without its meetings."""
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    data["meetings"] = []
    load(data)


def demo_names():
    """{written name or alias: delegation name} as the demo's reference data holds them."""
    names = {}
    for entry in json.loads(DEMO_FILE.read_text(encoding="utf-8"))["delegations"]:
        names[entry["name"]] = entry["name"]
        names.update(dict.fromkeys(entry["aliases"], entry["name"]))
    return names


# One entry per line, no blank lines; "N|" page footers; sub-item numbers alone on their line;
# a letterhead line in French; a paragraph cut by a page footer.
ONE_PER_LINE = """\
Secrétariat de la Convention sur les armes à sous-munitions
MINUTES OF THE CCM COORDINATION COMMITTEE MEETING
Held on 14 March 2019 from 10:00 - 12:00 hours
Palais des Nations, Room XXIV
1. PRESENT:
Sri Lanka - 9MSP Presidency
H.E. Mr. Tharanga Perera
Ms. Ruwani Silva (via conference call)
The Netherlands
Mr. Joost van Dam
Secretariat - CCM ISU
Ms. Sheila N. Mweemba
APOLOGIES RECEIVED
Lao People's Democratic Republic
Bosnia-Herzegovina
2. Approval of the Minutes of 12 February 2019
The minutes were approved with the following corrections: the date of the workshop in item 4 was amended.
3. Thematic updates
3.1
Universalization (Panama & Chile)
Panama reported on outreach in the Pacific, and recieved three replies.
1|
3.2
Victim Assistance (Ireland, Spain)
Ireland described plans for a retreat that
2|
would bring the Conventions together.
4. Any Other Business
None was raised.
3|
"""

# Informal minutes: "Agenda Item N:" headings and a date without a year.
INFORMAL_NO_YEAR = """\
Coordination Committee – informal minutes
Meeting of Thursday 7 November, 15:00–16:30, online
Attendance
Chile
Ms. Ana Rojas
Ireland
Dr. Fionnuala Byrne
Mrs. Aoife Kelly (via conference call)
Apologies received
Peru
Agenda Item 2: Welcome
The President opened the meeting.
Agenda Item 3: Universalization (Chile)
Chile updated the Committee on its *outreach*:
1. a letter to Signatory States;
2. a side event in New York.
Agenda Item 4: Date of the next meeting
To be announced.
"""

# A two-column attendance table (present | apologies) that came out interleaved: a person ends up
# listed among the apologies.
INTERLEAVED = """\
MINUTES OF THE CCM COORDINATION COMMITTEE MEETING
held on Monday 3 June 2019
from 13:00 14:30 hours
1. Present
Austria
Ms. Eva Gruber
Apologies received
Mozambique
Mr. Tomas Berger
Zambia
2. Welcome
The President welcomed the Committee.
"""

NOT_MINUTES = """\
Shopping list
Bread
Milk
"""
