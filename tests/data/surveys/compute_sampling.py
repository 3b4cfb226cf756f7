#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes sampling.json: golden values of the cxm sampling hash, version 1 (specified at
cxm::sampling_point in sdk/include/cxm/survey/definition.hpp), computed here independently of the C++.
Run from the repository root: python3 tests/data/surveys/compute_sampling.py [--check]"""
import json
import sys

MASK = (1 << 64) - 1


def fnv1a(h, data):
    for byte in data:
        h ^= byte
        h = (h * 0x100000001B3) & MASK
    return h


def fmix64(k):
    k ^= k >> 33
    k = (k * 0xFF51AFD7ED558CCD) & MASK
    k ^= k >> 33
    k = (k * 0xC4CEB9FE1A85EC53) & MASK
    k ^= k >> 33
    return k


def point_bits(survey_id, respondent_id):
    h = fnv1a(0xCBF29CE484222325, survey_id.encode())
    h = fnv1a(h, b"\xff")
    return fmix64(fnv1a(h, respondent_id.encode())) >> 11  # the point is this / 2^53


PAIRS = [("after-onboarding", "respondent-1"), ("after-onboarding", "respondent-2"),
         ("after-onboarding", ""), ("conditions", "user@example.com"), ("a", "b"), ("", ""),
         ("after-onboarding", "משתמש-7"), ("x" * 40, "0123456789abcdef0123456789abcdef")]

doc = {"about": "cxm sampling hash v1: point = bits / 2^53; included when point < sample_rate",
       "points": [{"survey_id": s, "respondent_id": r, "bits": point_bits(s, r),
                   "point": point_bits(s, r) / 2**53} for s, r in PAIRS]}
path = "tests/data/surveys/sampling.json"
text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
if "--check" in sys.argv:
    sys.exit(0 if open(path, encoding="utf-8").read() == text else "sampling.json is stale")
open(path, "w", encoding="utf-8").write(text)
