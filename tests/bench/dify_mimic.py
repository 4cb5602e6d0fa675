#!/usr/bin/env python3
"""A small mimic of Dify's graph engine (dify.md §9.1): a FIFO ready queue of node ids, worker
threads that run nodes and push events onto an event queue, and one dispatcher that stores
outputs, decides edges and readiness (OR-join that waits) and forwards events. Nodes are no-ops.
It is the baseline for tests/bench/bench_engine: same graphs, same per-node work (none).

usage: dify_mimic.py chain N | wide LAYERS WIDTH | iteration ITEMS   → prints µs per node
"""
import queue
import sys
import threading
import time


def build_chain(n):
    succ = {i: [i + 1] for i in range(n - 1)}
    succ[n - 1] = []
    return succ, 0


def build_wide(layers, width):
    # start → width parallel chains of `layers` nodes → end
    succ = {0: [1 + c for c in range(width)]}
    end = 1 + layers * width
    for layer in range(layers):
        for c in range(width):
            node = 1 + layer * width + c
            succ[node] = [node + width] if layer < layers - 1 else [end]
    succ[end] = []
    return succ, 0


def run(succ, root, workers=4):
    preds = {}
    for s, ts in succ.items():
        for t in ts:
            preds.setdefault(t, []).append(s)
    edge_state = {}
    ready = queue.Queue()
    events = queue.Queue()
    pool = {}
    stop = object()

    def worker():
        while True:
            node = ready.get()
            if node is stop:
                return
            events.put(("started", node))
            outputs = {}  # a no-op node
            events.put(("succeeded", node, outputs))

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(workers)]
    for t in threads:
        t.start()
    ready.put(root)
    running = 1
    executed = 0
    while running:
        ev = events.get()
        if ev[0] != "succeeded":
            continue
        running -= 1
        executed += 1
        node = ev[1]
        pool[node] = ev[2]
        for t in succ[node]:
            edge_state[(node, t)] = "taken"
            states = [edge_state.get((p, t)) for p in preds[t]]
            if None in states:
                continue
            if "taken" in states:
                ready.put(t)
                running += 1
    for _ in threads:
        ready.put(stop)
    return executed


def main():
    kind = sys.argv[1]
    if kind == "chain":
        succ, root = build_chain(int(sys.argv[2]))
    elif kind == "wide":
        succ, root = build_wide(int(sys.argv[2]), int(sys.argv[3]))
    elif kind == "iteration":
        # Dify runs each item as a child engine; the mimic runs a 2-node body per item.
        items = int(sys.argv[2])
        t0 = time.perf_counter()
        executed = 0
        for _ in range(items):
            s, r = build_chain(2)
            executed += run(s, r)
        dt = time.perf_counter() - t0
        print(f"{dt * 1e6 / executed:.3f}")
        return
    else:
        raise SystemExit(__doc__)
    t0 = time.perf_counter()
    executed = run(succ, root)
    dt = time.perf_counter() - t0
    print(f"{dt * 1e6 / executed:.3f}")


if __name__ == "__main__":
    main()
