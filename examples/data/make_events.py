#!/usr/bin/env python3
"""Generate events.jsonl: the journey events of the bank-switching demo customers.

The customers, their segments and the times of their steps are exactly those of
responses.jsonl: this script re-runs make_responses.py's seeded generator, records the
step plan it draws for each customer, and checks that the responses it produces are
byte for byte the bundled responses.jsonl. So every survey response (respondent
c-XXXXX, journey_id j-XXXXX, step) attaches to a journey in events.jsonl.

Journey definition: journey.json (application -> identity_check -> account_opened ->
card_ordered -> card_delivered -> first_use, with the wrong_card / card_reorder /
fee_dispute detours). Event format: sdk/include/cxm/journey/event.hpp.

What the events say, on top of the step times:
  - each step runs from a few minutes after the previous step ended to the time the
    response generator gave it; the channel is the customer's primary channel
    (older customers lean to phone and branch) or the step's expected one;
  - identity checks and trouble steps bring contacts (re-contacts within days),
    transfers between agents, waits on hold and "told the story again";
  - channel switches when a customer moves to another channel;
  - quotes of the monthly fee: 4.50 everywhere, except that branch staff sometimes
    quote 0.00 ("free the first year") -- an inconsistency for the report to flag;
    the "switch_guarantee" message is "7 working days" except on the phone, where
    agents sometimes say "10 days";
  - uncontrolled touchpoints before the application: a friend's advice, a social post,
    a press article;
  - complete after the last step once first_use is reached; some early leavers send an
    explicit abandon, the others just go quiet (the tracker abandons them on inactivity);
    journeys cut off by the end of the data window stay open;
  - the stream is in timestamp order except that about 1% of events arrive up to 30 s
    late (within the definition's 60 s reorder window), and about 0.3% of step ends are
    sent twice (a client retry: the tracker counts them as double_end).

Standard library only; seeded; re-running reproduces events.jsonl byte for byte.
Usage:  python3 make_events.py
"""

import json
import os
import random
import sys
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_responses as mr  # noqa: E402

SEED = 20261124
MIN, HOUR, DAY = 60, 3600, 86400
TROUBLE = ("wrong_card", "card_reorder", "fee_dispute")
EXPECTED_CHANNEL = {
    "application": "web", "identity_check": "app", "account_opened": "app",
    "card_ordered": "app", "card_delivered": "branch", "wrong_card": "phone",
    "card_reorder": "phone", "first_use": "app", "fee_dispute": "phone",
}
CONTACT_REASON = {
    "identity_check": "document_upload", "wrong_card": "wrong_name_on_card",
    "card_reorder": "replacement_status", "fee_dispute": "unexpected_fee",
    "card_delivered": "card_not_arrived",
}


def iso_ms(t_ms):
    dt = datetime.fromtimestamp(t_ms // 1000, tz=timezone.utc)
    ms = t_ms % 1000
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + (".%03dZ" % ms if ms else "Z")


def capture_plans():
    """Runs the response generator, returning {customer number: steps} and checking the output."""
    plans = []
    original = mr.journey

    def spy(rng, start):
        steps = original(rng, start)
        plans.append(steps)
        return steps

    mr.journey = spy
    try:
        records = mr.generate(random.Random(mr.SEED))
    finally:
        mr.journey = original
    with open(os.path.join(HERE, "responses.jsonl"), encoding="utf-8") as f:
        bundled = f.read()
    produced = "".join(mr.dumps(r) + "\n" for r in records)
    if produced != bundled:
        sys.exit("responses.jsonl does not match make_responses.py; regenerate it first")
    segments = {}
    for r in records:
        segments[int(r["respondent"][2:])] = r["segment"]
    numbers = sorted(segments)
    assert len(numbers) == len(plans)
    return {num: (segments[num], plans[i]) for i, num in enumerate(numbers)}


def journey_events(rng, num, segment, steps):
    """The events of one customer's journey as (t_ms, order, record) tuples."""
    jid, cust = "j-%05d" % num, "c-%05d" % num
    age = segment["age"]
    primary = mr.pick_weighted(rng, mr.CHANNELS, mr.CHANNEL_WEIGHTS[age])
    out = []

    def emit(t_s, rec, jitter_ms=0):
        t_ms = t_s * 1000 + jitter_ms
        base = {"journey_id": jid}
        if "segment" in rec:
            base["customer"] = cust  # who it is: said once, with the segment
        base.update(rec)
        base["timestamp"] = iso_ms(t_ms)
        out.append((t_ms, len(out), base))

    if not steps:
        return out
    first_t = steps[0][1]
    # Uncontrolled touchpoints shape the journey before it starts.
    for tp, p in (("friend_advice", 0.20), ("social_post", 0.10), ("press_article", 0.05)):
        if rng.random() < p:
            emit(first_t - rng.randint(1 * HOUR, 5 * DAY),
                 {"type": "touch", "touchpoint": tp, "segment": segment})
    prev_end, prev_channel = None, None
    last_contact = None
    for i, (step, t) in enumerate(steps):
        if prev_end is None:
            begin = t - rng.randint(4 * MIN, 40 * MIN)
        else:
            begin = min(t - 60, prev_end + rng.randint(1 * MIN, 10 * MIN))
        if step in TROUBLE or (age == "old" and rng.random() < 0.4):
            channel = "phone" if rng.random() < 0.6 else "branch"
        else:
            channel = primary if rng.random() < 0.7 else EXPECTED_CHANNEL[step]
        begin_rec = {"type": "step_begin", "step": step, "channel": channel}
        if i == 0:
            begin_rec["segment"] = segment
        emit(begin, begin_rec)
        if prev_channel is not None and channel != prev_channel:
            emit(begin, {"type": "channel_switch", "from": prev_channel, "to": channel}, 1)
        span = t - begin
        # Effort inside the step.
        trouble = step in TROUBLE
        n_contacts = 0
        if trouble:
            n_contacts = rng.choice([1, 1, 2, 2, 3])
        elif step in CONTACT_REASON and rng.random() < (0.35 if age == "old" else 0.15):
            n_contacts = 1
        for k in range(n_contacts):
            tc = begin + (span * (k + 1)) // (n_contacts + 2)
            cch = "phone" if rng.random() < 0.7 else "branch"
            emit(tc, {"type": "contact", "channel": cch, "reason": CONTACT_REASON.get(step, "question")}, 2)
            if cch == "phone" and rng.random() < 0.7:
                emit(tc, {"type": "wait", "duration_ms": rng.randint(1 * MIN, 45 * MIN) * 1000}, 3)
            if rng.random() < (0.5 if trouble else 0.2):
                emit(tc + 60, {"type": "transfer", "from_agent": "agent-%02d" % rng.randint(1, 40),
                                "to_agent": "agent-%02d" % rng.randint(41, 60)})
            if last_contact is not None and rng.random() < 0.6:
                emit(tc + 120, {"type": "repeat_info"})
            last_contact = tc
        # Offers and messages, said in this step's channel.
        if step in ("application", "account_opened") and rng.random() < 0.6:
            fee = 0.0 if channel == "branch" and rng.random() < 0.3 else 4.5
            emit(begin + 30, {"type": "quote", "offer": "monthly_fee", "value": fee, "channel": channel})
        if step == "application" and rng.random() < 0.5:
            text = "10 days" if channel == "phone" and rng.random() < 0.4 else "7 working days"
            emit(begin + 40, {"type": "message", "key": "switch_guarantee", "value": text, "channel": channel})
        end_rec = {"type": "step_end", "step": step}
        emit(t, end_rec)
        if rng.random() < 0.003:
            emit(t + 5, end_rec)  # a client retry
        prev_end, prev_channel = t, channel
    reached = {s for s, _ in steps}
    last_t = steps[-1][1]
    if "first_use" in reached:
        emit(last_t + 600, {"type": "complete"})
    elif len(steps) <= 2 and last_t < mr.T_END - 10 * DAY and rng.random() < 0.5:
        emit(last_t + rng.randint(1 * HOUR, 3 * DAY), {"type": "abandon"})
    return out


def main():
    plans = capture_plans()
    rng = random.Random(SEED)
    events = []
    for num in sorted(plans):
        segment, steps = plans[num]
        for t_ms, order, rec in journey_events(rng, num, segment, steps):
            # Arrival: in time order, but ~1% of events arrive up to 30 s late.
            arrival = t_ms + (rng.randint(1, 30000) if rng.random() < 0.01 else 0)
            events.append((arrival, num, order, rec))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    path = os.path.join(HERE, "events.jsonl")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for _, _, _, rec in events:
            f.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")
    print("events.jsonl: %d events for %d customers" % (len(events), len(plans)))


if __name__ == "__main__":
    main()
