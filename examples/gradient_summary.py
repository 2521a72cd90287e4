#!/usr/bin/env python3
"""Reads a /curves/gradients JSON document on stdin; prints each layer's weight-gradient norm at the first
recorded iteration and the first-to-last-dense-layer ratio (how much gradient reaches the bottom of the net)."""
import json
import sys

curve = json.load(sys.stdin)
layers = curve["layers"]
at = curve["iterations"][0]
print(f"iteration {at}: weight-gradient L2 norm per layer, input -> output")
for layer in layers:
    norm = layer["norms"][0]
    print(f"  {layer['index']:3d}  {layer['name']:8s} {layer['kind']:9s} {norm if norm is None else format(norm, '.2e')}")
dense = [l for l in layers if l["kind"] == "dense"]
first, last = dense[0]["norms"][0], dense[-1]["norms"][0]
print(f"first / last dense layer: {first / last:.1e}")
