#!/usr/bin/python3
"""PyTorch reference for bench/perf-suite: the same networks, sizes, optimizers and minibatch schedule as the
GradLab specs in bench/specs, trained by a plain PyTorch loop on one thread.

Driven by PerformanceSuite over stdin/stdout so that PyTorch and DL4J runs alternate inside one suite run:
  in : {"workload": "M1", "spec": {...GradLab spec with defaults...}, "trainSize": 1600}
  out: {"samples": 160000, "seconds": 3.1, "cpuSeconds": 3.0}
The first request for a workload builds its model and trains one warm-up epoch before timing.
"describe" answers with the versions and the BLAS in use; "gemm N M K" with single-precision matmul GFLOP/s.
"""
import json
import os
import sys
import time

import torch
from torch import nn

torch.set_num_threads(1)
torch.set_num_interop_threads(1)


def mlp(spec, inputs, classes):
    m = spec["model"]
    depth, width = m["depth"], m["width"]
    act = {"sigmoid": nn.Sigmoid, "relu": nn.ReLU, "tanh": nn.Tanh}[m["activation"]]
    if not (m["batchNorm"] and m["residual"]):
        if m["batchNorm"]:
            raise ValueError("only plain and pre-activation residual+BN MLPs are mirrored")
        layers, fan_in = [], inputs
        for _ in range(depth):
            layers += [nn.Linear(fan_in, width), act()]
            fan_in = width
        layers.append(nn.Linear(width, classes))
        return nn.Sequential(*layers)
    return PreActivationResidualMlp(inputs, depth, width, classes, act)


class PreActivationResidualMlp(nn.Module):
    """GradLab's blockStyle=pre with residual and batch norm: dense1, then x + dense(act(bn(x))) per block, a closing
    bn -> act, then the output layer (He et al. 2016's identity mappings)."""

    def __init__(self, inputs, depth, width, classes, act):
        super().__init__()
        self.first = nn.Linear(inputs, width)
        self.norms = nn.ModuleList(nn.BatchNorm1d(width) for _ in range(depth))
        self.denses = nn.ModuleList(nn.Linear(width, width) for _ in range(depth - 1))
        self.act = act()
        self.out = nn.Linear(width, classes)

    def forward(self, x):
        x = self.first(x)
        for bn, dense in zip(self.norms, self.denses):
            x = x + dense(self.act(bn(x)))
        return self.out(self.act(self.norms[-1](x)))


class LastStepRnn(nn.Module):
    def __init__(self, cell, features, hidden, outputs):
        super().__init__()
        kind = nn.LSTM if cell == "lstm" else nn.RNN
        self.rnn = kind(features, hidden, batch_first=True)
        self.out = nn.Linear(hidden, outputs)

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.out(h[:, -1])


class Workload:
    def __init__(self, spec, train_size):
        self.spec = spec
        self.train_size = train_size
        m, d, t = spec["model"], spec["dataset"], spec["training"]
        torch.manual_seed(t["seed"])
        if m["type"] == "rnn":
            steps = d["sequenceLength"]
            self.x = torch.rand(train_size, steps, 2)  # adding problem: value, marker
            self.y = torch.rand(train_size, 1)
            self.model = LastStepRnn(m["cell"], 2, m["width"], 1)
            self.loss = nn.MSELoss()
        else:
            inputs = d.get("features") or 2
            classes = d["classes"]
            self.x = torch.randn(train_size, inputs)
            self.y = torch.randint(0, classes, (train_size,))
            self.model = mlp(spec, inputs, classes)
            self.loss = nn.CrossEntropyLoss()
        lr = t["learningRate"]
        self.optimizer = (torch.optim.Adam(self.model.parameters(), lr=lr) if t["optimizer"] == "adam"
                          else torch.optim.SGD(self.model.parameters(), lr=lr))
        self.batch = t["batchSize"]
        self.model.train()
        self.epoch()  # warm-up

    def epoch(self):
        order = torch.randperm(self.train_size)
        for start in range(0, self.train_size, self.batch):
            idx = order[start:start + self.batch]
            self.optimizer.zero_grad(set_to_none=True)
            loss = self.loss(self.model(self.x[idx]), self.y[idx])
            loss.backward()
            self.optimizer.step()

    def run(self, epochs):
        wall, cpu = time.perf_counter(), time.thread_time()
        for _ in range(epochs):
            self.epoch()
        return {"samples": epochs * self.train_size, "seconds": time.perf_counter() - wall,
                "cpuSeconds": time.thread_time() - cpu}


def blas():
    link = "/etc/alternatives/libblas.so.3-x86_64-linux-gnu"
    target = os.path.realpath(link) if os.path.exists(link) else "unknown"
    return {"torch": torch.__version__, "threads": torch.get_num_threads(), "libblas.so.3": target,
            "mkldnn": torch.backends.mkldnn.is_available()}


def gemm(n, m, k, seconds=1.0):
    a, b = torch.randn(n, k), torch.randn(k, m)
    c = a @ b
    runs, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        torch.mm(a, b, out=c)
        runs += 1
    return {"gflops": 2.0 * n * m * k * runs / (time.perf_counter() - start) / 1e9}


def main():
    workloads = {}
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        if line == "describe":
            answer = blas()
        elif line.startswith("gemm"):
            n, m, k = map(int, line.split()[1:4])
            answer = gemm(n, m, k)
        else:
            request = json.loads(line)
            name = request["workload"]
            if name not in workloads:
                workloads[name] = Workload(request["spec"], request["trainSize"])
            answer = workloads[name].run(request["spec"]["training"]["epochs"])
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
