#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the seed inputs of every fuzz target into corpus/<target>/seed-*: slices of the
bundled data (examples/data, tests/data) and hand-made edge cases. Inputs found by fuzzing are
kept beside them as corpus/<target>/regression-* (written by hand from minimized crashes) and
corpus/<target>/<sha1> (merged from long runs); this script never touches those.

    python3 tests/fuzz/make_seeds.py          # rewrite the seeds (deterministic)
"""
import json
import pathlib
import struct

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CORPUS = HERE / "corpus"


def write(target, name, data):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    (d / f"seed-{name}").write_bytes(data)


def lines(path):
    return (ROOT / path).read_text(encoding="utf-8").splitlines(keepends=True)


def jsonl_edge_cases(good):
    """Framing cases around one good record `good` (no newline)."""
    g = good
    return {
        "crlf": f"{g}\r\n{g.replace('1', '2', 1)}\r\n",
        "cr-only": f"{g}\r{g}\r",
        "mixed-crlf-lf": f"{g}\n\r\n{g.replace('1', '3', 1)}\r\n\n",
        "blank-lines": f"\n \n\t\n\r\n{g}\n   \r\n",
        "no-trailing-newline": f"{g}\n{g.replace('1', '4', 1)}",
        "only-blank": " \t \r\n\n\n",
        "cr-then-blank-at-limit": f"{g}\r\n" + " " * len(g) + "\r\n" + " " * (len(g) + 1) + "\n",
        "nul-bytes": f"{g}\n\0\0\0\n{g[:10]}\0{g[10:]}\n",
        "trailing-garbage": f"{g} x\n{g}}}\n",
        "two-objects": f"{g}{g}\n",
        "array-root": f"[{g}]\n",
        "deep": "[" * 40 + "]" * 40 + "\n" + '{"a":' * 20 + "1" + "}" * 20 + "\n",
    }


def responses():
    data = lines("examples/data/responses.jsonl")
    for i, start in enumerate((0, 500, 1500, 3000)):
        write("response_reader", f"examples-{i}", "".join(data[start:start + 4]))
    write("response_reader", "bad-responses", "".join(lines("examples/data/bad_responses.jsonl")[:24]))
    good = '{"id":"r-1","survey_id":"s","answers":{"nps":9,"ces":6,"csat":4}}'
    for name, text in jsonl_edge_cases(good).items():
        if text is not None:
            write("response_reader", name, text)
    specials = [
        '{"id":"r-1","survey_id":"s","answers":{"nps":9}}',
        '{"id":"caf\\u00e9 \\"x\\"","survey_id":"s\\ud83d\\ude00","answers":{"n\\u0000ps":9,"ces":"\\ud800"}}',
        '{"id":"r-2","survey_id":"s","survey_version":18446744073709551615,"answers":{}}',
        '{"id":"r-3","survey_id":"s","timestamp":"2026-02-29T00:00:00Z","answers":{"nps":1e309}}',
        '{"id":"r-4","survey_id":"s","timestamp":-1,"answers":{"nps":-0.0,"ces":6.0000000000000001}}',
        '{"id":"r-5","survey_id":"s","segment":{"age":"young","age":"old"},"answers":{"nps":9,"nps":8}}',
        '{"id":"r-6","survey_id":"s","extra":{"deep":[[[{"x":[1,{"y":"\\n"}]}]]]},"extra":1,"answers":{"a":[1,"b",null,true,[2]]}}',
        '{"id":"' + "x" * 129 + '","survey_id":"s","answers":{}}',
        '{"id":"r-7","survey_id":"","answers":{"nps":10}}\n{"id":"r-7","survey_id":"s","answers":{"nps":10}}',
        '{"id":"r-8","survey_id":"s","journey_id":"j-1","step":"application","respondent":"c","channel":"web","answers":{"nps":3,"ces":2,"emotion":"angry"}}',
    ]
    write("response_reader", "specials", "\n".join(specials) + "\n")
    write("response_reader", "invalid-utf8", b'{"id":"r-1","survey_id":"s","answers":{"t":"\xc3\x28"}}\n{"id":"\xed\xa0\x80","survey_id":"s","answers":{}}\n')
    write("response_reader", "escaped-key-chunks", '{"\\u0069d":"r-1","s\\u0075rvey_id":"s","answers":{"\\u006eps":9}}\n' * 2)


def events():
    data = lines("examples/data/events.jsonl")
    picked = [l for l in data if json.loads(l)["journey_id"] in ("j-00001", "j-00002", "j-00003")]
    write("journey_events", "examples-3-journeys", "".join(picked[:40]))
    write("journey_events", "tests-data", "".join(lines("tests/data/journeys/events.jsonl")))
    good = '{"journey_id":"j1","type":"step_begin","step":"application","timestamp":1000}'
    for name, text in jsonl_edge_cases(good).items():
        if text is not None:
            write("journey_events", name, text)
    kinds = [
        '{"journey_id":"j1","customer":"c1","type":"step_begin","step":"application","channel":"web","segment":{"customer":"private","age":"young"},"timestamp":"2026-10-01T09:00:00Z"}',
        '{"journey_id":"j1","type":"contact","channel":"phone","reason":"status","timestamp":"2026-10-01T09:05:00Z"}',
        '{"journey_id":"j1","type":"transfer","from_agent":"a1","to_agent":"a2","timestamp":"2026-10-01T09:06:00Z"}',
        '{"journey_id":"j1","type":"channel_switch","from":"web","to":"phone","timestamp":"2026-10-01T09:07:00Z"}',
        '{"journey_id":"j1","type":"wait","duration_ms":600000,"timestamp":"2026-10-01T09:08:00Z"}',
        '{"journey_id":"j1","type":"repeat_info","timestamp":"2026-10-01T09:09:00Z"}',
        '{"journey_id":"j1","type":"quote","offer":"monthly_fee","value":4.99,"channel":"web","timestamp":"2026-10-01T09:10:00Z"}',
        '{"journey_id":"j1","type":"message","key":"switch_guarantee","value":"7 days","channel":"phone","timestamp":"2026-10-01T09:11:00Z"}',
        '{"journey_id":"j1","type":"touch","touchpoint":"friend_advice","timestamp":"2026-10-01T09:12:00Z"}',
        '{"journey_id":"j1","type":"step_end","step":"application","timestamp":"2026-10-01T09:13:00Z"}',
        '{"journey_id":"j1","type":"step_begin","step":"wrong_card","timestamp":"2026-10-01T09:12:59Z"}',
        '{"journey_id":"j1","type":"complete","timestamp":"2026-10-01T09:20:00Z"}',
        '{"journey_id":"j2","type":"abandon","timestamp":"2026-10-01T09:20:00Z"}',
        '{"journey_id":"j3","type":"step_begin","step":"application","timestamp":1}',
        '{"journey_id":"j4","type":"step_begin","step":"application","timestamp":2}',
        '{"journey_id":"j5","type":"step_begin","step":"application","timestamp":3}',
        '{"journey_id":"j6","type":"step_begin","step":"application","timestamp":999999999999999}',
        '{"journey_id":"j7","type":"quote","offer":"fee","value":1e308,"timestamp":4}',
        '{"journey_id":"j7","type":"wait","duration_ms":9223372036854775807,"timestamp":5}',
    ]
    write("journey_events", "every-kind", "\n".join(kinds) + "\n")


def surveys():
    write("survey_definition", "after-onboarding", (ROOT / "examples/web/surveys/after-onboarding.json").read_bytes())
    write("survey_definition", "conditions", (ROOT / "tests/data/surveys/conditions.json").read_bytes())
    cases = json.loads((ROOT / "tests/data/surveys/invalid_definitions.json").read_text(encoding="utf-8"))
    base = json.loads((ROOT / "tests/data/surveys/conditions.json").read_text(encoding="utf-8"))
    for i, case in enumerate(cases["cases"]):
        if "text" in case:
            write("survey_definition", f"invalid-{i:03d}", case["text"])
        else:  # given as edits of the base definition
            doc = json.loads(json.dumps(base))
            for op in case["ops"]:
                *parents, last = op["path"]
                node = doc
                for p in parents:
                    node = node[p]
                if op["op"] == "set":
                    if isinstance(node, list) and last == len(node):
                        node.append(op["value"])
                    else:
                        node[last] = op["value"]
                else:
                    del node[last]
            write("survey_definition", f"invalid-{i:03d}", json.dumps(doc, ensure_ascii=False))
    answers = json.loads((ROOT / "tests/data/surveys/answers.json").read_text(encoding="utf-8"))
    for i, case in enumerate(answers["cases"]):
        write("survey_answers", f"answers-{i:03d}", json.dumps(case["answers"], ensure_ascii=False))
    for name, text in {
        "all-types": '{"nps":3,"why":"slow!","ces":4,"csat":5,"feeling":"angry","one":"a","many":["y","z"],"after":10}',
        "wrong-types": '{"nps":"9","why":7,"ces":null,"csat":true,"feeling":["happy"],"one":["a"],"many":"x","after":{}}',
        "fractions": '{"nps":9.5,"ces":4.0,"csat":1e309,"after":-0}',
        "duplicates": '{"nps":9,"nps":8}',
        "repeated-choice": '{"many":["x","x"],"feeling":"happy"}',
        "long-text": '{"nps":0,"why":"\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00"}',
        "lone-surrogate": '{"nps":0,"why":"\\udc00"}',
        "unknown": '{"nope":1,"":2}',
        "deep": '{"a":' * 9 + '1' + '}' * 9,
    }.items():
        write("survey_answers", name, text)


def journeys():
    write("journey_definition", "examples", (ROOT / "examples/data/journey.json").read_bytes())
    write("journey_definition", "tests-data", (ROOT / "tests/data/journeys/definition.json").read_bytes())
    write("journey_definition", "minimal", '{"format":"cxm.journey","version":1,"id":"j","revision":0,"abandon_after_ms":1,'
          '"reorder_window_ms":0,"recontact_window_days":1,"max_open_journeys":1,"stages":[{"name":"s","steps":'
          '[{"name":"a","touchpoint":"t","channel":"c"}]}]}')
    write("journey_report_json", "examples", (ROOT / "tests/data/journeys/examples_report.json").read_bytes())
    # Small reports give the fuzzer inputs it can mutate quickly (the examples report is 53 KB):
    #   cxm journey --json tests/data/journeys/definition.json <(head -8 tests/data/journeys/events.jsonl)
    #   cxm journey --json examples/data/journey.json <(head -40 examples/data/events.jsonl)
    #       --responses <the responses of those journeys>
    write("journey_report_json", "small", (ROOT / "tests/data/journeys/report_small.json").read_bytes())
    write("journey_report_json", "with-answers", (ROOT / "tests/data/journeys/report_with_answers.json").read_bytes())


def aggregates():
    counts = ",".join(str(c) for c in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    rej = '"rejected":{"out_of_range":1,"not_integer":2,"not_finite":3,"wrong_type":4}'
    write("tally_json", "nps", '{"format":"cxm.nps_tally","version":1,"counts":[' + counts + '],' + rej + '}')
    write("tally_json", "scale", '{"format":"cxm.scale_tally","version":1,"scale":{"min":1,"max":7,"top_box_min":5},'
          '"counts":[1,2,3,4,5,6,7],' + rej + '}')
    big = 18446744073709551615
    write("tally_json", "nps-huge", '{"format":"cxm.nps_tally","version":1,"counts":[' + ",".join([str(big)] * 11) + '],'
          '"rejected":{"out_of_range":' + str(big) + ',"not_integer":0,"not_finite":0,"wrong_type":0}}')
    write("tally_json", "scale-huge", '{"format":"cxm.scale_tally","version":1,"scale":{"min":-5,"max":5,"top_box_min":5},'
          '"counts":[' + ",".join([str(big // 2 + 1)] * 11) + '],' + rej + '}')
    write("sketch_json", "v1", (ROOT / "tests/data/sketch/duration_sketch_v1.json").read_bytes())
    write("sketch_json", "empty", '{"format":"cxm.duration_sketch","version":1,"scale":6,"max_buckets":1600,"zero_threshold":0,'
          '"count":0,"sum":0,"min":null,"max":null,"zero_count":0,"positive":{"offset":0,"counts":[]},'
          '"rejected":{"out_of_range":0,"not_finite":0}}')
    write("sketch_json", "huge-counts", '{"format":"cxm.duration_sketch","version":1,"scale":20,"max_buckets":8,"zero_threshold":0.5,'
          '"count":18446744073709551615,"sum":1.7976931348623157e308,"min":0.25,"max":1e300,"zero_count":9223372036854775808,'
          '"positive":{"offset":-1048576,"counts":[9223372036854775807]},"rejected":{"out_of_range":1,"not_finite":1}}')
    hexs = (ROOT / "tests/data/sketch/duration_sketch_v1.hex").read_text().split()
    write("sketch_binary", "v1", bytes(int(h, 16) for h in hexs))
    write("sketch_binary", "empty", bytes([0xD1, 0x00, 0x0C, 0xC0, 0x0C, 0x00, 0x00]))
    write("sketch_binary", "long-varint", bytes([0xD1, 0x01] + [0xFF] * 9 + [0x01] + [0x00] * 30))
    # cxm.survey_tally version 2 (cxm/survey/tally.hpp, question_tally.hpp): each question in the
    # shared question-tally form, "invalid" after "answered" (0: a survey tally holds valid
    # responses only) and "problems" only when invalid is not 0.
    write("survey_tally_json", "unit-test", '{"format":"cxm.survey_tally","version":2,"survey_id":"f","survey_version":7,"responses":2,"rejected":1,'
          '"questions":[{"id":"n","type":"nps","shown":2,"answered":2,"invalid":0,"counts":[1,0,0,0,0,0,0,0,0,0,1]},'
          '{"id":"w","type":"text","shown":1,"answered":1,"invalid":0},'
          '{"id":"c","type":"ces","scale":{"min":1,"max":5,"top_box_min":4},"shown":2,"answered":1,"invalid":0,"counts":[0,0,0,1,0]},'
          '{"id":"s","type":"csat","scale":{"min":1,"max":5,"top_box_min":4},"shown":2,"answered":1,"invalid":0,"counts":[0,0,0,0,1]},'
          '{"id":"e","type":"emotion","choices":["happy","angry"],"shown":2,"answered":1,"invalid":0,"counts":[0,1]},'
          '{"id":"m","type":"choice","multiple":true,"choices":["x","y"],"shown":2,"answered":2,"invalid":0,"counts":[1,2]}]}')
    write("survey_tally_json", "huge", '{"format":"cxm.survey_tally","version":2,"survey_id":"f","survey_version":7,'
          '"responses":18446744073709551615,"rejected":18446744073709551615,"questions":[{"id":"n","type":"nps",'
          '"shown":18446744073709551615,"answered":18446744073709551615,"invalid":0,"counts":[9223372036854775808,9223372036854775807,0,0,0,0,0,0,0,0,0]}]}')
    # At the count limit: decodes, and a self-merge must refuse (out_of_range) instead of passing 2^62.
    write("survey_tally_json", "at-limit", '{"format":"cxm.survey_tally","version":2,"survey_id":"f","survey_version":7,'
          '"responses":4611686018427387904,"rejected":0,"questions":[{"id":"n","type":"nps",'
          '"shown":4611686018427387904,"answered":4611686018427387903,"invalid":0,"counts":[4611686018427387903,0,0,0,0,0,0,0,0,0,0]},'
          '{"id":"m","type":"choice","multiple":true,"choices":["x","y","z"],"shown":3,"answered":2,"invalid":0,"counts":[2,2,0]}]}')
    # Invalid answers in a survey tally (refused), with a problems object: the decoder's checks of
    # the question-tally form ("problems" adding up to "invalid") before the survey tally's own.
    write("survey_tally_json", "invalid-answers", '{"format":"cxm.survey_tally","version":2,"survey_id":"f","survey_version":7,'
          '"responses":3,"rejected":0,"questions":[{"id":"n","type":"nps","shown":3,"answered":1,"invalid":2,'
          '"problems":{"out_of_range":1,"wrong_type":1},"counts":[0,0,0,0,0,0,0,0,0,1,0]}]}')


def timestamps():
    for i, t in enumerate(["2026-10-02T09:14:03.250Z", "1970-01-01T00:00:00Z", "9999-12-31T23:59:60.999999z",
                           "2024-02-29 12:00:00+23:59", "2023-02-29T12:00:00Z", "2026-10-02t09:14:03.1-00:30",
                           "1970-01-01T00:00:00+00:01", "2026-13-01T00:00:00Z", "2026-10-02T24:00:00Z", "2026-10-02T09:14:03."]):
        write("timestamp", f"{i:02d}", t)


def capi_calls():
    """Call programs for the C ABI target (targets/capi_calls.cpp): an opcode byte, a slot byte,
    then the call's arguments; numbers are one byte (an index into the target's table of
    familiar values, or the value itself) and texts a length byte then the bytes."""
    def text(t):
        b = t.encode("utf-8") if isinstance(t, str) else t
        return bytes([len(b)]) + b
    nps = bytes([0, 0, 1, 0, 4, 1, 0, 5, 1, 0, 2, 1, 0, 6, 4, 0, 19, 0, 1, 3, 0, 0, 4, 0])
    sketch = bytes([9, 1, 6, 11, 0, 10, 1, 12, 10, 1, 13, 10, 1, 7, 11, 1, 1, 4, 12, 1])
    scale = bytes([6, 0, 0, 7, 0, 6, 7, 0, 8, 7, 0, 9, 8, 0, 0, 19, 0, 2])
    survey = bytes([15, 0, 0]) + text('{"nps":9,"reason":"fast \u05e9"}') + bytes([15, 1, 0]) + text('{"nps":"9"}')
    events = [l for l in lines("examples/data/events.jsonl") if len(l.encode()) < 250][:4]
    journey = b"".join(bytes([16, 1]) + text(l) for l in events) + bytes([17, 0]) + (1790000000000).to_bytes(8, "big") + bytes([17, 0]) + bytes(8)
    null_handles = bytes([1, 2, 4, 3, 2, 2, 12, 2, 19, 2, 0, 8, 2, 0, 11, 2, 2, 0, 17, 2, 0])
    decode = bytes([13, 0, 5, 1, 2, 3, 4, 5]) + bytes([5, 0]) + text('{"format":"cxm.nps_tally","version":1}') + \
        bytes([14, 0]) + text('{"format":"cxm.survey"')
    destroyed = bytes([0, 0, 1, 0, 4, 18, 0, 1, 0, 4, 4, 0])
    recorder = bytes([20, 0, 0, 19, 1, 0, 4, 11, 19, 1, 1, 6, 7, 19, 1, 2, 12, 2, 19, 1, 3, 8, 1,
                      19, 1, 2, 0xff, 0, 0, 0, 0, 0, 0, 0xf0, 0x7f, 0, 20, 0, 0, 20, 0, 1, 20, 0, 2, 20, 0, 3])
    for name, data in [("nps", nps), ("sketch", sketch), ("scale", scale), ("survey", survey),
                       ("journey", journey), ("null-handles", null_handles), ("decode", decode),
                       ("destroyed", destroyed), ("recorder", recorder)]:
        write("capi_calls", name, data)


def device():
    """Records as an app appends them (outbox_files checks, frames and finds them again), and
    hand-made recorder snapshots. Files taken from a real outbox and a real recorder are kept
    beside them as corpus/<target>/sample-* (this script never touches those)."""
    for name, record in [("response", '{"survey_id":"s","answers":{"nps":9,"reason":"\u05e9\ud83d\ude00"}}'),
                         ("own-id", '{"id":"r-1","type":"contact"}'), ("empty", "{}"),
                         ("id-not-string", '{"id":7}'), ("not-object", "[1,2]"), ("deep", '{"a":' * 40 + "1" + "}" * 40),
                         ("duplicate-key", '{"a":1,"a":2}'), ("header-only", "CXMSEG\x01\x00")]:
        write("outbox_files", name, record)
    write("recorder_snapshot_json", "empty-metrics", '{"format":"cxm.recorder_snapshot","version":1,"metrics":[]}')
    write("recorder_snapshot_json", "wrong-kind", '{"format":"cxm.recorder_snapshot","version":1,"metrics":'
          '[{"name":"n","kind":"duration","value":{"format":"cxm.nps_tally","version":1}}]}')
    write("recorder_snapshot_json", "unknown-key", '{"format":"cxm.recorder_snapshot","version":1,"metrics":[],"x":1}')


def server():
    """Request bodies of cxm serve: the widget's and an outbox's, with records that pass and
    records each check refuses, pretty-printed and escaped forms."""
    good = lines("examples/data/responses.jsonl")[0].strip()
    ok = ('{"id":"w-1","survey_id":"after-onboarding","survey_version":3,"timestamp":"2026-12-03T10:00:00Z",'
          '"channel":"web","answers":{"nps":4,"what_went_wrong":"slow \u05e9"},'
          '"local_score":{"nps":{"category":"detractor","top_box":false}}}')
    head = ('{"format":"cxm.batch","version":1,"batch":"0199c82c-c4d2-7b10-9c4e-21a7d0f3e815",'
            '"source":"install-7f3a","sent_at":"2025-10-09T08:53:21.234Z",')
    snapshot = ('{"format":"cxm.recorder_snapshot","version":1,"metrics":[{"name":"checkout.nps","kind":"nps",'
                '"value":{"format":"cxm.nps_tally","version":1,"counts":[1,0,0,0,0,0,0,0,0,2,0],'
                '"rejected":{"out_of_range":0,"not_integer":0,"not_finite":0,"wrong_type":0}}}]}')
    bodies = {
        "widget": '{"responses":[' + ok + "," + good + "]}",
        "widget-beacon": '{"responses":[' + ok + '],"via":"beacon"}',
        "widget-pretty": '{\r\n  "responses" : [\n    ' + ok + ' ,\n    {"id":"x","survey_id":"fuzz","answers":{}}\n  ]\n}\n',
        "widget-escaped-key": '{"respon\\u0073es":[' + ok + "]}",
        "widget-bad-records": '{"responses":[{"id":"a","survey_id":"after-onboarding","answers":{"nps":11}},'
                              '{"survey_id":"after-onboarding","answers":{"nps":1}},{"id":"b","survey_id":"nope"},[1]]}',
        "outbox-responses-events": head + '"responses":[' + ok + '],"events":[{"id":"e1","journey_id":"kyc",'
                                   '"type":"step_begin","step":"start","timestamp":"2025-10-09T08:53:00Z"},{"journey_id":"k"}]}',
        "outbox-aggregates": head + '"aggregates":[{"id":"s1","captured_at":"2025-10-09T08:53:24.000Z","snapshot":'
                             + snapshot + '},{"id":"s2","captured_at":"x","snapshot":{}}]}',
        "outbox-version-2": head.replace('"version":1', '"version":2') + '"responses":[]}',
        "empty": "{}",
    }
    for name, body in bodies.items():
        write("server_batch", name, body)


def report():
    """Bundled responses under each option byte the report target reads (period, weighting,
    adjustment, ids once or not), some with inclusion probabilities, repeated ids and respondents."""
    data = lines("examples/data/responses.jsonl")
    extra = [
        '{"id":"w-1","survey_id":"s","respondent":"c-1","channel":"web","inclusion_probability":0.25,'
        '"timestamp":"2026-10-05T23:30:00Z","answers":{"nps":3,"ces":7,"csat":1}}\n',
        '{"id":"w-2","survey_id":"s","respondent":"c-1","channel":"web","inclusion_probability":1e-9,'
        '"timestamp":"2026-10-06T00:30:00Z","answers":{"nps":10}}\n',
        '{"id":"w-1","survey_id":"s","respondent":"c-1","answers":{"nps":0}}\n',
        '{"id":"w-3","survey_id":"s","segment":{"age":"</script><!--"},"channel":"\u2028","answers":{"nps":9}}\n',
    ]
    for i, choice in enumerate((0x00, 0x31, 0x80, 0x81, 0x82, 0xa2, 0xc0, 0xff)):
        body = "".join(data[i * 40:i * 40 + 40]) + "".join(extra)
        write("report", f"options-{choice:02x}", bytes([choice]) + body.encode())


def server_request_parts():
    """One seed per part (the first byte picks it): escapes, report and analysis queries, zone
    names, static-file paths that try to leave their directory, --config documents, Retry-After
    values and OTLP success replies."""
    parts = {
        0: {"escapes": "/s/a%20b%2Fc+d%25%zz%4", "utf8": "%E2%80%A8%00%ff+%2B"},
        1: {"report": "survey=after-onboarding&from=2026-10-01T00:00:00Z&to=1767225600000&by=channel,segment.age"
                      "&level=0.9&method=score",
            "analysis": "survey=s&by=week,channel&tz=Europe%2FBerlin&p_adjust=holm&min_n=10",
            "bad": "level=1&min_n=-1&by=a,b,c,d,e,f,g,h,i&tz=..%2F..%2Fetc%2Fpasswd&x=%"},
        2: {"zone": "Fuzz/Zone", "fixed": "+05:45", "escape": "../outside-zone", "absolute": "/usr/share/zoneinfo/UTC"},
        3: {"file": "/s/sub/style.css?x=1", "root": "/", "escape-link": "/s/escape.js", "hidden": "/s/.hidden.js",
            "dotdot": "/s/sub/%2e%2e/%2e%2e/secret.js", "inside-link": "/s/sub/inside.js", "backslash": "/s/sub\\..\\app.js"},
        4: {"config": '{"listen":"127.0.0.1:0","store":"sqlite:/tmp/x.db","sync":"normal","max_body_bytes":1048576,'
                      '"cors_origins":["https://example.com"],"aggregate_tokens":{"app":"t0k3n"},"rate_limit":{"per_second":5,"burst":10},'
                      '"trusted_proxies":["10.0.0.1"]}',
            "unknown-key": '{"listen":"0.0.0.0:80","nope":1}', "not-object": "[1,2]",
            "otlp": '{"otlp":{"endpoint":"http://127.0.0.1:4318/v1/metrics","interval_seconds":0.5,"headers":{"Authorization":"Bearer x"}}}'},
        5: {"seconds": "120", "date": "Sun, 06 Nov 1994 08:49:37 GMT", "spaces": " \t30\t ", "huge": "99999999999"},
        6: {"partial": '{"partialSuccess":{"rejectedDataPoints":"2","errorMessage":"too old"}}',
            "number": '{"partialSuccess":{"rejectedDataPoints":3}}', "escaped": '{"partialSuccess":{"\\u0072ejectedDataPoints":"18446744073709551615"}}',
            "empty": "{}", "not-json": "ok"},
    }
    for selector, cases in parts.items():
        for name, text in cases.items():
            write("server_request_parts", f"{selector}-{name}", bytes([selector]) + text.encode())


def tzif():
    """Every TZif file of tests/data/tz, the version 1 block of one read as a version 1 file,
    and version 2 files with hand-made footers (the POSIX TZ rule forms)."""
    for path in sorted((ROOT / "tests/data/tz").rglob("*")):
        if path.is_file() and path.name != "README.md":
            write("tzif", path.relative_to(ROOT / "tests/data/tz").as_posix().replace("/", "-"), path.read_bytes())
    berlin = (ROOT / "tests/data/tz/Europe/Berlin").read_bytes()
    write("tzif", "v1-Europe-Berlin", berlin[:4] + b"\0" + berlin[5:])

    def header(version, timecnt, typecnt, charcnt):
        return b"TZif" + version + bytes(15) + struct.pack(">6I", 0, 0, 0, timecnt, typecnt, charcnt)

    def v2(footer, times=(), types=((0, 0),)):
        v1 = header(b"2", 0, 1, 1) + bytes(6) + b"\0"
        block = b"".join(struct.pack(">q", t) for t in times) + bytes(i % len(types) for i in range(len(times)))
        block += b"".join(struct.pack(">iBB", off, dst, 0) for off, dst in types) + b"ZZZ\0"
        return v1 + header(b"2", len(times), len(types), 4) + block + b"\n" + footer + b"\n"

    footers = {
        "footer-mwd": b"CET-1CEST,M3.5.0,M10.5.0/3", "footer-us": b"EST5EDT,M3.2.0,M11.1.0",
        "footer-quoted": b"<+0330>-3:30", "footer-26h": b"IST-2IDT,M3.4.4/26,M10.5.0",
        "footer-negative-time": b"<-02>2<-01>,M3.5.0/-1,M10.5.0/0", "footer-julian": b"AAA0BBB,J60/0,J300/0",
        "footer-zero-based": b"AAA0BBB,59/0,365/25", "footer-167h": b"AAA0BBB,M3.1.0/-167,M10.1.0/167",
        "footer-south": b"<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45", "footer-empty": b"",
        "footer-no-rule": b"CET-1CEST", "footer-bad-month": b"CET-1CEST,M13.1.0,M10.5.0",
    }
    for name, footer in footers.items():
        write("tzif", name, v2(footer))
    write("tzif", "transitions-far", v2(b"", (-2**63, -2**59, 0, 2**40, 2**63 - 1), ((3600, 0), (-89999, 1), (93599, 0))))
    write("tzif", "transitions-descending", v2(b"", (10, 5), ((0, 0), (3600, 1))))
    write("tzif", "counts-huge", header(b"2", 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF) + bytes(64))


if __name__ == "__main__":
    for d in CORPUS.glob("*/seed-*"):
        d.unlink()
    responses()
    events()
    surveys()
    journeys()
    aggregates()
    timestamps()
    capi_calls()
    device()
    server()
    tzif()
    report()
    server_request_parts()
    for d in sorted(CORPUS.iterdir()):
        print(d.name, len(list(d.iterdir())))
