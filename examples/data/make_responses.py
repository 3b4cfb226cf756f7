#!/usr/bin/env python3
"""Generate the cxm demo data set: survey responses along a bank-switching journey.

Writes, next to this script:
  responses.jsonl      ~3000 responses, one JSON object per line
  bad_responses.jsonl  a small file of good and deliberately broken lines

Standard library only. Seeded and deterministic: re-running reproduces both
files byte for byte.  Usage:  python3 make_responses.py
"""

import json
import os
from datetime import datetime, timezone

import random

SEED = 20261123
N_CUSTOMERS = 1200
SURVEY_ID = "bank-switch"
SURVEY_VERSION = 1

HERE = os.path.dirname(os.path.abspath(__file__))

# All times are integer seconds since the Unix epoch (UTC).
T_START = int(datetime(2026, 10, 1, tzinfo=timezone.utc).timestamp())
T_END = int(datetime(2026, 12, 1, tzinfo=timezone.utc).timestamp())  # exclusive
MIN, HOUR, DAY = 60, 3600, 86400

CHANNELS = ["web", "app", "phone", "branch"]
# Primary channel preference by age group.
CHANNEL_WEIGHTS = {
    "young": [30, 60, 5, 5],
    "middle": [35, 35, 15, 15],
    "old": [20, 15, 35, 30],
}

# Latent score model (on the 0-10 NPS scale).
BASE = 8.2
STEP_EFFECT = {
    "application": 0.0,
    "identity_check": -0.5,
    "account_opened": 0.4,
    "card_ordered": 0.2,
    "card_delivered": 0.3,
    "first_use": 0.4,
    "wrong_card": -2.7,
    "card_reorder": -2.3,
    "fee_dispute": -2.8,
}
CHANNEL_EFFECT = {"web": 0.1, "app": 0.35, "phone": -0.7, "branch": 0.0}
BUSINESS_EFFECT = -0.3
OLD_APP_EFFECT = -1.3   # older customers struggle with the app flows
OLD_WEB_EFFECT = -0.4
AFTER_TROUBLE_EFFECT = -0.9  # steps after a trouble step stay soured
TROUBLE_STEPS = ("wrong_card", "card_reorder", "fee_dispute")

COMMENTS = {
    "promoter": [
        "Quick and easy",
        "Switching took ten minutes, impressive",
        "All my direct debits moved over without a hitch",
        "The app walked me through everything",
        "Card arrived the next day",
        "Friendly staff, thank you",
        "Much better than my old bank",
        "Love the app \U0001F44D",
        "Done! \U0001F389",
        "Five stars, would \"switch again\"",
    ],
    "passive": [
        "Fine, nothing special",
        "Took a bit longer than promised",
        "OK, but the identity check was fiddly",
        "Had to upload my passport twice",
        "Good in the end, slow start",
        "Reasonable, the letters were confusing",
        "The card PIN letter came after the card",
    ],
    "detractor": [
        "Waited 40 minutes on hold",
        "Too many forms",
        "The app keeps logging me out",
        "Nobody could tell me where my card was",
        "Identity check failed three times",
        "Why do I need to visit a branch in 2026?",
        "Very slow \U0001F61E",
    ],
    "wrong_card": [
        "My name is misspelt on the card",
        "The card says \"Jonh\" instead of \"John\"",
        "Wrong name on the card \U0001F621",
        "Card arrived with a typo in my name, useless",
    ],
    "card_reorder": [
        "Had to wait another week for a new card",
        "Still no replacement card",
        "Reordering the card took two phone calls",
        "Why is it my job to fix your typo?",
    ],
    "fee_dispute": [
        "Nobody told me about the monthly fee",
        "Charged a \"switching fee\" that was never mentioned",
        "Hidden fees \U0001F44E",
        "Surprise fee of 12.50 after switching, closing my account",
        "The fee was refunded but it took weeks",
    ],
}
HEBREW = {
    "promoter": ["התהליך היה מהיר וקל", "שירות מצוין, תודה!"],
    "passive": ["בסדר, לקח קצת זמן"],
    "detractor": ["חיכיתי הרבה זמן בטלפון"],
    "wrong_card": ["הכרטיס הגיע עם שם שגוי"],
    "card_reorder": ["עדיין מחכה לכרטיס חדש"],
    "fee_dispute": ["עמלה מפתיעה אחרי המעבר \U0001F620"],
}


def iso(t):
    return datetime.fromtimestamp(t, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def clamp(x, lo, hi):
    return max(lo, min(hi, x))


def pick_weighted(rng, items, weights):
    return rng.choices(items, weights=weights, k=1)[0]


def journey(rng, start):
    """Return the list of (step, time) the customer went through, in order."""
    wrong_card = rng.random() < 0.08
    fee_dispute = rng.random() < 0.07
    plan = [("application", 0),
            ("identity_check", rng.randint(10 * MIN, 2 * DAY)),
            ("account_opened", rng.randint(1 * HOUR, 3 * DAY)),
            ("card_ordered", rng.randint(5 * MIN, 1 * DAY))]
    if wrong_card:
        plan += [("wrong_card", rng.randint(2 * DAY, 5 * DAY)),
                 ("card_reorder", rng.randint(1 * HOUR, 2 * DAY)),
                 ("card_delivered", rng.randint(3 * DAY, 8 * DAY))]
    else:
        plan += [("card_delivered", rng.randint(2 * DAY, 5 * DAY))]
    plan += [("first_use", rng.randint(2 * HOUR, 4 * DAY))]
    if fee_dispute:
        plan += [("fee_dispute", rng.randint(5 * DAY, 20 * DAY))]

    # A few customers abandon the switch early.
    r = rng.random()
    if r < 0.03:
        plan = plan[:1]
    elif r < 0.07:
        plan = plan[:2]

    steps, t = [], start
    for step, gap in plan:
        t += gap
        if t >= T_END - 2 * DAY:
            break  # journey continues after the data window
        steps.append((step, t))
    return steps


def scores(rng, latent, step):
    nps = clamp(round(latent + rng.gauss(0, 1.1)), 0, 10)
    ces_lat = 1 + latent * 0.6 + rng.gauss(0, 0.75)
    if step in TROUBLE_STEPS:
        ces_lat -= 0.8
    ces = clamp(round(ces_lat), 1, 7)
    csat = clamp(round(1 + latent * 0.4 + rng.gauss(0, 0.55)), 1, 5)
    return nps, ces, csat


def comment(rng, nps, step):
    group = "promoter" if nps >= 9 else "passive" if nps >= 7 else "detractor"
    p = {"promoter": 0.17, "passive": 0.12, "detractor": 0.30}[group]
    if rng.random() >= p:
        return None
    if step in TROUBLE_STEPS and nps <= 6:
        group = step
    pool = HEBREW[group] if rng.random() < 0.05 else COMMENTS[group]
    return rng.choice(pool)


def generate(rng):
    numbers = sorted(rng.sample(range(1, 5000), N_CUSTOMERS))
    rows = []
    for num in numbers:
        cust = "private" if rng.random() < 0.8 else "business"
        age = pick_weighted(rng, ["young", "middle", "old"], [30, 50, 20])
        primary = pick_weighted(rng, CHANNELS, CHANNEL_WEIGHTS[age])
        person = rng.gauss(0, 0.8)          # customer's general mood
        eagerness = rng.uniform(0.2, 0.6)  # how often they answer surveys
        start = T_START + rng.randint(0, 52 * DAY)
        steps = journey(rng, start)

        answered = []
        for i, (step, t) in enumerate(steps):
            p = 0.8 if step in TROUBLE_STEPS else eagerness
            if rng.random() < p:
                answered.append(i)
        if not answered:
            answered = [rng.randrange(len(steps))]

        soured = False
        for i, (step, t) in enumerate(steps):
            if step in TROUBLE_STEPS:
                soured = True
            if i not in answered:
                continue
            nxt = steps[i + 1][1] if i + 1 < len(steps) else T_END
            delay = rng.randint(2 * MIN, max(3 * MIN, min(30 * HOUR, (nxt - t) * 9 // 10)))
            ts = min(t + delay, T_END - 1)
            channel = primary if rng.random() < 0.7 else pick_weighted(rng, CHANNELS, [30, 30, 20, 20])
            if step in ("wrong_card", "card_reorder") and rng.random() < 0.4:
                channel = "phone"  # people call about a wrong card

            latent = BASE + person + STEP_EFFECT[step] + CHANNEL_EFFECT[channel]
            if cust == "business":
                latent += BUSINESS_EFFECT
            if age == "old" and channel == "app":
                latent += OLD_APP_EFFECT
            if age == "old" and channel == "web":
                latent += OLD_WEB_EFFECT
            if soured and step not in TROUBLE_STEPS:
                latent += AFTER_TROUBLE_EFFECT

            nps, ces, csat = scores(rng, latent, step)
            answers = {"nps": nps}
            if rng.random() < 0.85:
                answers["ces"] = ces
            if rng.random() < 0.70:
                answers["csat"] = csat
            text = comment(rng, nps, step)
            if text is not None:
                answers["comment"] = text

            rows.append((ts, num, {
                "id": None,
                "survey_id": SURVEY_ID,
                "survey_version": SURVEY_VERSION,
                "respondent": "c-%05d" % num,
                "timestamp": iso(ts),
                "channel": channel,
                "segment": {"customer": cust, "age": age},
                "journey_id": "j-%05d" % num,
                "step": step,
                "answers": answers,
            }))

    rows.sort(key=lambda r: (r[0], r[1]))
    out = []
    for n, (_, _, rec) in enumerate(rows, 1):
        rec["id"] = "r-%06d" % n
        out.append(rec)
    return out


def dumps(rec):
    return json.dumps(rec, ensure_ascii=False, separators=(",", ":"))


def bad_lines():
    """Hand-made lines for the error-reporting demo. Line numbers are 1-based."""
    def rec(n, nps=8, ces=6, step="card_ordered", channel="app"):
        return {
            "id": "r-9%05d" % n,
            "survey_id": SURVEY_ID,
            "survey_version": SURVEY_VERSION,
            "respondent": "c-9%04d" % n,
            "timestamp": "2026-11-%02dT10:%02d:00Z" % (n, n),
            "channel": channel,
            "segment": {"customer": "private", "age": "middle"},
            "journey_id": "j-9%04d" % n,
            "step": step,
            "answers": {"nps": nps, "ces": ces, "csat": 4},
        }

    def with_nps(n, raw):
        # Splice a raw JSON token in place of the nps value.
        return dumps(rec(n, nps=12345)).replace('"nps":12345', '"nps":' + raw)

    lines = [
        dumps(rec(1, nps=9)),                                    # 1 good
        dumps(rec(2, nps=11)),                                   # 2 nps 11 (out of range)
        dumps(rec(3, nps=-1)),                                   # 3 nps -1 (out of range)
        dumps(rec(4, nps=7, channel="web")),                     # 4 good
        with_nps(5, "9.5"),                                      # 5 nps 9.5 (not an integer)
        with_nps(6, '"9"'),                                      # 6 nps "9" (string)
        with_nps(7, "null"),                                     # 7 nps null
        with_nps(8, "true"),                                     # 8 nps true (boolean)
        dumps(rec(9, nps=6, ces=0)),                             # 9 ces 0 (scale is 1-7)
        dumps(rec(10, nps=3, ces=2, step="wrong_card", channel="phone")),  # 10 good
        "this line is not JSON",                                 # 11 not JSON
        dumps(rec(12)) + " x",                                   # 12 trailing garbage
        dumps(rec(13)).replace('{"id":"r-900013"',
                               '{"id":"r-900013","id":"r-900099"', 1),  # 13 duplicate key
        dumps({k: v for k, v in rec(14).items() if k != "id"}),  # 14 missing id
        dumps(rec(15, nps=10, step="first_use")),                # 15 good
        with_nps(16, "1e309"),                                   # 16 1e309 (overflows double)
        dumps(dict(rec(17), id="r-900001")),                     # 17 repeats id of line 1
        "",                                                      # 18 empty line
        dumps(rec(19, nps=8, step="card_delivered")),            # 19 good, no final newline
    ]
    return lines


def main():
    rng = random.Random(SEED)
    records = generate(rng)
    with open(os.path.join(HERE, "responses.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for r in records:
            f.write(dumps(r) + "\n")
    with open(os.path.join(HERE, "bad_responses.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(bad_lines()))  # deliberately no newline at the end
    print("responses.jsonl: %d lines" % len(records))
    print("bad_responses.jsonl: %d lines" % len(bad_lines()))


if __name__ == "__main__":
    main()
