#!/usr/bin/env python3
"""Prints a job's weight-gradient L2 norm per layer at the first recorded iteration, and the headline ratio the
service computes itself (result.gradientRatio: first / last dense layer for an mlp, first / last time step for an
rnn), at the start and at the end.

    python3 examples/gradient_summary.py JOB_ID [BASE_URL]     (BASE_URL defaults to http://localhost:8080)
"""
import json
import sys
import urllib.request

job_id = sys.argv[1]
base = (sys.argv[2] if len(sys.argv) > 2 else "http://localhost:8080").rstrip("/") + "/api/v1/jobs/" + job_id


def get(url):
    with urllib.request.urlopen(url) as r:
        return json.load(r)


def number(obj, field):
    """A number of the API, or its non-finite spelling (the field is then left out and named in nonFinite)."""
    if field in obj:
        return format(obj[field], ".2e")
    spelled = [n["value"] for n in obj.get("nonFinite", []) if n["field"] == field]
    return spelled[0] if spelled else "-"


curve = get(base + "/curves/gradients")
if curve["iterations"]:
    at = curve["iterations"][0]
    print(f"iteration {at}: weight-gradient L2 norm per layer, input -> output")
    for layer in curve["layers"]:
        norm = layer["norms"][0]
        print(f"  {layer['index']:3d}  {layer['name']:8s} {layer['kind']:9s} {'-' if norm is None else format(norm, '.2e')}")

job = get(base)
ratio = (job.get("result") or {}).get("gradientRatio")
if ratio is None:
    print(f"job is {job['status']}: the gradient ratio is reported when it has finished")
else:
    print(f"{ratio['measure']} ({ratio['numerator']} / {ratio['denominator']}): "
          f"{number(ratio, 'start')} at iteration {ratio['startIteration']}, "
          f"{number(ratio, 'end')} at iteration {ratio['endIteration']}")
