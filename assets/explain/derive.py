#!/usr/bin/env python3
"""Derives events.json, what trailscope's detail pane says about an event, from TrailDiscover's
event catalogue and Stratus Red Team's technique pages. A maintainer runs it when either source
is updated; the build and the tests only read its output.

    assets/explain/derive.py TRAILDISCOVER_EVENTS_DIR STRATUS_TECHNIQUES_DIR > assets/explain/events.json

TRAILDISCOVER_EVENTS_DIR holds events/<Service>/<EventName>.json (adanalvarez/TrailDiscover);
STRATUS_TECHNIQUES_DIR holds aws.<tactic>.<name>.md (DataDog/stratus-red-team,
docs/attack-techniques/AWS). See SOURCE.md for the commits and licences.
"""
import json, pathlib, re, sys

def traildiscover(root):
    out = {}
    for f in sorted(pathlib.Path(root).rglob("*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        key = (d["eventSource"], d["eventName"])
        out[key] = {
            "source": d["eventSource"],
            "name": d["eventName"],
            "service": d.get("awsService", ""),
            "description": " ".join(d.get("description", "").split()),
            "implications": " ".join(d.get("securityImplications", "").split()),
            "tactics": d.get("mitreAttackTactics", []),
            "techniques": d.get("mitreAttackTechniques", []) + d.get("mitreAttackSubTechniques", []),
            "used_in_wild": bool(d.get("usedInWild", False)),
            "stratus": [],
        }
    return out

def stratus(root):
    """(IAM service prefix, event name) -> [(technique id, title)] from each page's list of
    the CloudTrail events its detonation generates (`- cloudtrail:DeleteTrail`)."""
    out = {}
    for f in sorted(pathlib.Path(root).glob("aws.*.md")):
        text = f.read_text(encoding="utf-8")
        title = re.search(r"^title:\s*(.+)$", text, re.M)
        tid = f.stem
        part = text.split("The following CloudTrail events are generated", 1)
        if len(part) < 2:
            continue
        for prefix, name in re.findall(r"^-\s*`?([a-z0-9-]+):([A-Za-z0-9]+)`?\s*$", part[1], re.M):
            out.setdefault((prefix, name), []).append((tid, title.group(1).strip() if title else tid))
    return out

def main():
    events = traildiscover(sys.argv[1])
    for (prefix, name), techniques in stratus(sys.argv[2]).items():
        source = prefix + ".amazonaws.com"
        entry = events.get((source, name))
        if entry is None:
            # An event a technique generates that the catalogue does not describe.
            entry = events.setdefault((source, name), {
                "source": source, "name": name, "service": "", "description": "",
                "implications": "", "tactics": [], "techniques": [], "used_in_wild": False,
                "stratus": [],
            })
        for tid, title in techniques:
            if [tid, title] not in entry["stratus"]:
                entry["stratus"].append([tid, title])
    ordered = [events[k] for k in sorted(events)]
    json.dump(ordered, sys.stdout, ensure_ascii=False, indent=0, separators=(",", ":"))
    sys.stdout.write("\n")

main()
