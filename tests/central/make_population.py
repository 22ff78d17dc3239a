#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Independent generator of a national population of signed central profiles (issue 17).

Not lisa's code: it writes the central profile format from the README and signs with Python's
`cryptography` (Ed25519), so `lisa push` and `lisa aggregate` are checked against a second
implementation. 290 municipalities in Socialstyrelsen's 2023 size groups (72, 94, 75, 30, 19;
003 B1), each answering every question with an answer drawn from a *chosen* distribution: for
group g and question q the answer counts are fixed in advance (deterministic from --seed), and
the municipalities of the group are dealt those answers in a shuffled order. expected.json holds
the counts aggregate must give back exactly (nationally and per group, with provenance counts).

Noise that aggregate must ignore, per municipality index:
  - every 7th has an older complete profile with other answers (superseded: later as_of wins);
  - every 11th has a newer profile for one system only (partial scope: not counted);
  - every 13th has a newer profile for the same day but an earlier `finished` (ordering);
  - every 17th has a newer profile whose signature is for other bytes (pushed around lisa, so
    it is written to tampered/ for the test to insert directly; aggregate must skip it);
  - every 19th has a profile dated after --as-of (not counted);
  - 6 are incomplete scans (latest profile has run.complete false: counted separately);
  - 7 more registered keys beyond the 290: 4 never reported, 3 last reported 400 days before
    as_of (listed as "not reported", yet still counted: their latest profile up to as_of).

Usage: make_population.py OUT_DIR AS_OF [--seed N]
Writes OUT_DIR/keys/CODE.pub.pem, OUT_DIR/profiles/*.json(+.sig), OUT_DIR/tampered/*.json(+.sig),
OUT_DIR/expected.json (with `trends`: per registered municipality its counted profiles, latest
first, as `lisa aggregate --format json` gives them).
"""
import argparse
import base64
import datetime
import json
import os
import random

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

# Socialstyrelsen 2023 size groups: (id, min, max inclusive, municipalities) — 003 B1.
GROUPS = [("2023-0-10k", 2500, 9999, 72), ("2023-10-20k", 10000, 19999, 94),
          ("2023-20-50k", 20000, 49999, 75), ("2023-50-100k", 50000, 99999, 30),
          ("2023-100k-plus", 100000, 980000, 19)]
# Questions (indicator id, scope, alternatives) as lisa's pack words them.
QUESTIONS = [
    ("SEC-LIS", None, ["Ja", "Nej"]),
    ("SEC-AUTH-EXT", None, ["Inga", "Delvis", "Alla"]),
    ("SEC-AUTH-INT", None, ["Inga", "Delvis", "Alla"]),
    ("SEC-RISK", "Socialtjänst", ["Ja", "Nej"]),
    ("SEC-RISK", "Kommunal hälso- och sjukvård", ["Ja", "Nej"]),
    ("SEC-AUTH-USE-MYN", "Äldreomsorg", ["Alla", "Delvis", "Ingen"]),
]
PROVENANCES = ["probed", "document", "declared"]


def canonical(doc):
    # The byte form lisa writes: sorted keys, 2-space indent, UTF-8, one newline.
    return (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def profile(code, name, population, group, as_of, finished, answers, complete=True, systems=()):
    indicators = []
    for (qid, scope, _), (answer, prov) in zip(QUESTIONS, answers):
        indicators.append({"id": qid, "scope": scope, "answer": answer, "evidenced": answer is not None,
                           "complete": complete, "by_provenance": {prov: 1} if answer is not None else {}})
    return {
        "profile": "lisa-central", "profile_version": 1,
        "tool": {"name": "population-generator", "version": "1"},
        "run": {"as_of": as_of, "started": as_of + "T00:00:00Z", "finished": finished,
                "rule_pack_sha256": "0" * 64, "inventory_sha256": "%064x" % int(code),
                "systems": list(systems), "complete": complete},
        "organization": {"name": name, "municipality_code": code, "population": population,
                         "size_group": group, "size_group_2021": None},
        "score": {"overall": None, "coverage": 1.0, "rules_judged": 0, "areas": [],
                  "findings_by_status": {"pass": 0, "fail": 0, "error": 0 if complete else 1,
                                         "not_applicable": 0, "waived": 0}},
        "indicators": indicators,
        "results": [],
    }


def count_answers(expected, gid, answers):
    expected["counted"] += 1
    for (qid, scope, alts), (answer, prov) in zip(QUESTIONS, answers):
        q = expected["questions"][qid + "|" + (scope or "")]
        for bucket in (q["national"], q["groups"].setdefault(gid, {})):
            bucket.setdefault("counts", {a: 0 for a in alts})
            bucket["counts"][answer] += 1
            bucket["n"] = bucket.get("n", 0) + 1
            bucket.setdefault("by_provenance", {p: 0 for p in PROVENANCES})
            bucket["by_provenance"][prov] += 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("as_of")
    ap.add_argument("--seed", type=int, default=2023)
    ap.add_argument("--audits", type=int, default=1,
                    help="profiles per municipality: the latest plus N-1 older monthly ones (benchmark)")
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    as_of = datetime.date.fromisoformat(args.as_of)
    day = lambda delta: (as_of + datetime.timedelta(days=delta)).isoformat()
    for sub in ("keys", "profiles", "tampered"):
        os.makedirs(os.path.join(args.out, sub), exist_ok=True)

    expected = {"as_of": args.as_of, "counted": 0, "incomplete": 0, "unverified": 0, "not_reported": [],
                "questions": {}}
    for qid, scope, alts in QUESTIONS:
        expected["questions"][qid + "|" + (scope or "")] = {"national": {}, "groups": {}}

    # Each municipality's trend as aggregate must give it: full-scope profiles up to as_of whose
    # signature covers them, latest first (run.as_of, then run.finished).
    trends = {}

    def record_trend(doc):
        org, run = doc["organization"], doc["run"]
        entry = trends.setdefault(org["municipality_code"], {"code": org["municipality_code"], "name": org["name"],
                                                             "size_group": org["size_group"], "reports": []})
        if run["systems"] or run["as_of"] > args.as_of:
            return
        entry["reports"].append({
            "as_of": run["as_of"], "finished": run["finished"], "score": doc["score"]["overall"],
            "complete": run["complete"],
            "answers": {ind["id"] + ("|" + ind["scope"] if ind["scope"] else ""): ind["answer"]
                        for ind in doc["indicators"]}})

    index = 0
    files = 0
    incomplete_left = 6
    for gid, lo, hi, count in GROUPS:
        # The chosen distribution: per question, answer counts for this group, dealt in shuffled order.
        dealt = []
        for qid, scope, alts in QUESTIONS:
            weights = [rnd.random() + 0.2 for _ in alts]
            counts = [int(count * w / sum(weights)) for w in weights]
            counts[0] += count - sum(counts)
            answers = [a for a, k in zip(alts, counts) for _ in range(k)]
            rnd.shuffle(answers)
            provs = [PROVENANCES[rnd.randrange(3)] for _ in range(count)]
            dealt.append(list(zip(answers, provs)))
        for m in range(count):
            index += 1
            code = "%04d" % (1000 + index)
            name = "Generkommun %d" % index
            population = rnd.randint(lo, hi)
            key = Ed25519PrivateKey.generate()
            with open(os.path.join(args.out, "keys", code + ".pub.pem"), "wb") as f:
                f.write(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                      serialization.PublicFormat.SubjectPublicKeyInfo))

            def write(doc, folder="profiles", sign_bytes=None):
                nonlocal files
                files += 1
                doc["score"]["overall"] = (files * 37) % 100 + 0.5
                if folder == "profiles":
                    record_trend(doc)
                data = canonical(doc)
                path = os.path.join(args.out, folder, "%s-%04d.json" % (code, files))
                with open(path, "wb") as f:
                    f.write(data)
                with open(path + ".sig", "w") as f:
                    f.write(base64.b64encode(key.sign(sign_bytes or data)).decode() + "\n")

            answers = [d[m] for d in dealt]
            other = [(alts[(alts.index(a) + 1) % len(alts)], "declared") for (_, _, alts), (a, _) in zip(QUESTIONS, answers)]
            incomplete = incomplete_left > 0 and index % 40 == 5
            if incomplete:
                incomplete_left -= 1
                expected["incomplete"] += 1
                write(profile(code, name, population, gid, day(-3), day(-3) + "T08:00:00Z", other, complete=False))
                continue
            latest = day(-rnd.randint(1, 20))
            write(profile(code, name, population, gid, latest, latest + "T09:00:00Z", answers))
            if index % 7 == 0:
                write(profile(code, name, population, gid, day(-200), day(-200) + "T09:00:00Z", other))
            for k in range(1, args.audits):
                # Older monthly audits, each with its own answers (the trend aggregate must give back).
                older = [(alts[(alts.index(a) + k) % len(alts)], "declared") for (_, _, alts), (a, _) in zip(QUESTIONS, answers)]
                write(profile(code, name, population, gid, day(-30 * k - 21), day(-30 * k - 21) + "T09:00:00Z", older))
            if index % 11 == 0:
                write(profile(code, name, population, gid, day(0), day(0) + "T10:00:00Z", other, systems=["ifo"]))
            if index % 13 == 0:
                write(profile(code, name, population, gid, latest, latest + "T08:59:59Z", other))
            if index % 17 == 0:
                write(profile(code, name, population, gid, day(0), day(0) + "T11:00:00Z", other),
                      folder="tampered", sign_bytes=b"other bytes")
                expected["unverified"] += 1
            if index % 19 == 0:
                write(profile(code, name, population, gid, day(30), day(30) + "T09:00:00Z", other))
            count_answers(expected, gid, answers)
    # Registered keys without a profile since a year before as_of: 4 never, 3 only long ago.
    for extra in range(7):
        index += 1
        code = "%04d" % (1000 + index)
        key = Ed25519PrivateKey.generate()
        with open(os.path.join(args.out, "keys", code + ".pub.pem"), "wb") as f:
            f.write(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo))
        last = None
        if extra >= 4:
            last = day(-400)
            files += 1
            old_answers = [(alts[0], "declared") for _, _, alts in QUESTIONS]
            doc = profile(code, "Tystkommun %d" % index, 5000, "2023-0-10k", last, last + "T09:00:00Z", old_answers)
            # Still the latest profile up to as_of, so it is counted (and listed as not reported).
            count_answers(expected, "2023-0-10k", old_answers)
            record_trend(doc)
            data = canonical(doc)
            path = os.path.join(args.out, "profiles", "%s-%04d.json" % (code, files))
            with open(path, "wb") as f:
                f.write(data)
            with open(path + ".sig", "w") as f:
                f.write(base64.b64encode(key.sign(data)).decode() + "\n")
        else:
            trends[code] = {"code": code, "name": None, "size_group": "unknown", "reports": []}
        expected["not_reported"].append({"municipality_code": code, "last_as_of": last})
    for entry in trends.values():
        entry["reports"].sort(key=lambda r: (r["as_of"], r["finished"]), reverse=True)
        for r in entry["reports"]:
            del r["finished"]
    expected["trends"] = [trends[code] for code in sorted(trends)]
    with open(os.path.join(args.out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=2, sort_keys=True, ensure_ascii=False)


if __name__ == "__main__":
    main()
