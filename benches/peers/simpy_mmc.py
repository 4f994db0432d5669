#!/usr/bin/env python3
"""The SimPy peer of `benches/capacity.rs`: the same M/M/5 queue at 90 % load
(9 arrivals an hour, 30-minute exponential handling, fifo, round the clock),
with the same event count (one per arrival, one per start of handling), and
the mean wait for a sanity check against Erlang C (0.6 h... see below).

    python3 -m venv .venv-bench && .venv-bench/bin/pip install simpy
    .venv-bench/bin/python benches/peers/simpy_mmc.py [HORIZON_HOURS] [TRIALS]
"""
import math
import random
import sys
import time

import simpy

LAMBDA, MU, REPS = 9.0, 2.0, 5


def trial(seed, horizon):
    rng = random.Random(seed)
    env = simpy.Environment()
    reps = simpy.Resource(env, capacity=REPS)
    stats = {"events": 0, "waits": 0.0, "served": 0}

    def sql(env):
        arrival = env.now
        with reps.request() as request:
            yield request
            stats["events"] += 1
            stats["waits"] += env.now - arrival
            stats["served"] += 1
            yield env.timeout(rng.expovariate(MU))

    def arrivals(env):
        while True:
            yield env.timeout(rng.expovariate(LAMBDA))
            if env.now >= horizon:
                return
            stats["events"] += 1
            env.process(sql(env))

    env.process(arrivals(env))
    env.run()  # drain the queue, as the Rust model does
    return stats


def erlang_c_wait(lam, mu, c):
    a = lam / mu
    rho = a / c
    s = sum(a**k / math.factorial(k) for k in range(c))
    last = a**c / math.factorial(c) / (1 - rho)
    p_wait = last / (s + last)
    return p_wait / (c * mu - lam)


def main():
    horizon = float(sys.argv[1]) if len(sys.argv) > 1 else 10_000.0
    trials = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    start = time.perf_counter()
    events = served = 0
    waits = 0.0
    for t in range(trials):
        s = trial(t, horizon)
        events += s["events"]
        served += s["served"]
        waits += s["waits"]
    seconds = time.perf_counter() - start
    print(f"simpy: {events} events in {seconds:.3f} s = {events / seconds / 1e6:.3f} M events/s; "
          f"mean wait {waits / served:.4f} h (Erlang C {erlang_c_wait(LAMBDA, MU, REPS):.4f} h)")


if __name__ == "__main__":
    main()
