# Reference: warm probability of linear decay (24 h) with a gamma working-time
# delay (mean m, shape k < 1), SQLs uniform over the week, office Mon-Fri 9-17.
import sys
from mpmath import mp, mpf, gammainc, quad
mp.dps = 30
SHELF = mpf(24)

def G(k, th, x):
    if x <= 0: return mpf(0)
    return gammainc(k, 0, x / th, regularized=True)

def intervals():  # absolute (start, end, working_before), forever
    n = 0
    while True:
        for d in range(5):
            s = 168 * n + 24 * d + 9
            yield (mpf(s), mpf(s + 8), mpf(40 * n + 8 * d))
        n += 1

def to_working(t):
    n = int(mp.floor(t / 168)); r = t - 168 * n
    d = int(mp.floor(r / 24)); h = r - 24 * d
    w = 40 * n
    if d >= 5: return mpf(w + 40)
    w += 8 * d
    return mpf(w + min(max(h - 9, 0), 8))

def inner(a, k, m):
    th = m / k
    w = to_working(a)
    tot = mpf(0)
    for (s, e, before) in intervals():
        if e <= a: continue
        after = before + (e - s)
        c = s - before + w - a
        lo = max(before - w, 0); hi = after - w
        if c + lo >= SHELF: break
        u = min(hi, SHELF - c)
        if u <= lo: continue
        # int_lo^u g(x) (1 - (c + x)/24) dx
        tot += (1 - c / SHELF) * (G(k, th, u) - G(k, th, lo)) - (k * th / SHELF) * (G(k + 1, th, u) - G(k + 1, th, lo))
    return tot

def warm(k, m):
    pts = [mpf(i) / 2 for i in range(0, 337)]  # every half hour: every edge and kink candidate
    return quad(lambda a: inner(a, k, m), pts) / 168

for (k, m) in [(mpf('0.5'), mpf(2)), (mpf('0.2'), mpf(4))]:
    print(k, m, mp.nstr(warm(k, m), 20))
