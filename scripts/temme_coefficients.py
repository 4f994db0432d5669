#!/usr/bin/env python3
"""The Taylor coefficients of Temme's c_k(eta) for src/special.rs (TEMME).

Temme's uniform asymptotic expansion of the regularised incomplete gamma
functions (DLMF 8.12.3-8.12.9):

    lambda = x / a,  eta^2 / 2 = lambda - 1 - ln(lambda),  sign(eta) = sign(lambda - 1)
    Q(a, x) = erfc(eta sqrt(a/2)) / 2 + R,  R = exp(-a eta^2/2) / sqrt(2 pi a) sum_k c_k(eta) a^-k
    c_0(eta) = 1/(lambda - 1) - 1/eta
    c_k(eta) = c_{k-1}'(eta) / eta + (-1)^k g_k / (lambda - 1)

with g_k the coefficients of Stirling's series Gamma*(a) ~ sum g_k a^-k
(DLMF 5.11.3). Everything is computed in exact rational arithmetic (sympy):
lambda - 1 as a power series in eta (by inverting eta^2/2 = mu - ln(1 + mu)
term by term), then the c_k as power series; each must come out regular at
eta = 0 (checked). Prints the Rust table, each coefficient rounded to the
nearest double. Takes about two minutes.

    python3 scripts/temme_coefficients.py
"""
import sympy as sp

K = 10  # c_0 .. c_10
N = 26  # powers eta^0 .. eta^25
M = N + 2 * K + 4  # each step k loses two orders (a derivative and 1/eta)

eta = sp.symbols("eta")

# mu = lambda - 1 as a series in eta, one coefficient at a time.
mu = eta
for order in range(2, M + 1):
    a = sp.symbols("a")
    trial = mu + a * eta**order
    residual = sp.series(trial - sp.log(1 + trial) - eta**2 / 2, eta, 0, order + 2).removeO()
    mu = mu + sp.solve(sp.expand(residual).coeff(eta, order + 1), a)[0] * eta**order

# Stirling's series of Gamma*(a) (DLMF 5.11.3 / 5.11.4).
g = [sp.Rational(n, d) for n, d in [
    (1, 1), (1, 12), (1, 288), (-139, 51840), (-571, 2488320), (163879, 209018880),
    (5246819, 75246796800), (-534703531, 902961561600), (-4483131259, 86684309913600),
    (432261921612371, 514904800886784000), (6232523202521089, 86504006548979712000),
]]

inv_mu = sp.series(1 / mu, eta, 0, M - 1).removeO()
c = sp.expand(inv_mu - 1 / eta)
rows = []
for k in range(K + 1):
    if k > 0:
        c = sp.expand(sp.diff(c, eta) / eta + (-1) ** k * g[k] * inv_mu)
    shifted = sp.Poly(sp.expand(c * eta**5), eta)
    coeffs = {p - 5: v for (p,), v in shifted.terms()}
    assert all(v == 0 for p, v in coeffs.items() if p < 0), f"c_{k} is singular at 0"
    rows.append([coeffs.get(n, 0) for n in range(N)])

assert rows[0][0] == sp.Rational(-1, 3) and rows[1][0] == sp.Rational(-1, 540)
assert rows[2][0] == sp.Rational(25, 6048)

print(f"const TEMME: [[f64; {N}]; {K + 1}] = [")
for row in rows:
    values = [repr(float(v)) for v in row]
    print("    [")
    for i in range(0, N, 4):
        print("        " + ", ".join(values[i : i + 4]) + ",")
    print("    ],")
print("];")
