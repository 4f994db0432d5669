//! The logarithm of a parametric decay curve and its derivatives in the
//! fit's parameters (`ln θ`), for the analytic gradients and Hessians of
//! the decay likelihoods.
//!
//! With `y = ln θ` and `λ = ln f(d; θ)`:
//!
//! ```text
//! exponential  λ = -ln 2 d / h                 ∂λ/∂ln h = -λ                     ∂² = λ
//! weibull      λ = -z,  z = e^Λ, Λ = k (ln d - ln s)
//!              ∂λ/∂ln s = k z,  ∂λ/∂ln k = -z Λ
//!              ∂²/∂ln s² = -k² z,  ∂²/∂ln s ∂ln k = k z (1 + Λ),  ∂²/∂ln k² = -z Λ (1 + Λ)
//! linear       λ = ln(1 - r), r = d / L < 1     ∂λ/∂ln L = r / (1 - r)            ∂² = -r / (1 - r)²
//! step         λ = 0 below L, -inf from L on    (L is not a smooth parameter)
//! ```
//!
//! A delay of zero (or below) is warm: `λ = 0`, whatever the parameters.

use super::decay_fit::{ShapeKind, curve};

/// `ln f` of one shape at fixed parameters.
#[derive(Debug, Clone, Copy)]
pub(super) struct LnCurve {
    shape: ShapeKind,
    /// The scale (`L`, `h` or `s`), hours.
    scale: f64,
    ln_scale: f64,
    /// The Weibull shape `k` (1 otherwise).
    k: f64,
}

/// `ln f` at a delay with its gradient and Hessian in the shape's
/// parameters (`[ln θ_1, ln θ_2]`, the second unused by one-parameter
/// shapes).
pub(super) type LnTerms = (f64, [f64; 2], [[f64; 2]; 2]);

impl LnCurve {
    /// The curve at `y = [ln θ...]`; `None` where [`curve`] refuses the
    /// parameters (and for the table, which has no parameters here).
    pub(super) fn new(shape: ShapeKind, y: &[f64]) -> Option<LnCurve> {
        if shape == ShapeKind::Table {
            return None;
        }
        curve(shape, y)?;
        Some(LnCurve {
            shape,
            scale: y[0].exp(),
            ln_scale: y[0],
            k: if shape == ShapeKind::Weibull { y[1].exp() } else { 1.0 },
        })
    }

    /// `ln f(d)`, given `ln_d = ln d`.
    #[inline]
    pub(super) fn value(&self, d: f64, ln_d: f64) -> f64 {
        if !(d > 0.0) {
            return 0.0;
        }
        match self.shape {
            ShapeKind::Exponential => -std::f64::consts::LN_2 * d / self.scale,
            ShapeKind::Weibull => -(self.k * (ln_d - self.ln_scale)).exp(),
            ShapeKind::Linear if d < self.scale => (1.0 - d / self.scale).ln(),
            ShapeKind::Step if d < self.scale => 0.0,
            _ => f64::NEG_INFINITY,
        }
    }

    /// `ln f(d)` with its derivatives (zero where `f` is 0 or 1 around
    /// `d`).
    #[inline]
    pub(super) fn terms(&self, d: f64, ln_d: f64) -> LnTerms {
        let zero = ([0.0; 2], [[0.0; 2]; 2]);
        if !(d > 0.0) {
            return (0.0, zero.0, zero.1);
        }
        match self.shape {
            ShapeKind::Exponential => {
                let l = -std::f64::consts::LN_2 * d / self.scale;
                (l, [-l, 0.0], [[l, 0.0], [0.0, 0.0]])
            }
            ShapeKind::Weibull => {
                let big = self.k * (ln_d - self.ln_scale);
                let z = big.exp();
                let k = self.k;
                let cross = k * z * (1.0 + big);
                (
                    -z,
                    [k * z, -z * big],
                    [[-k * k * z, cross], [cross, -z * big * (1.0 + big)]],
                )
            }
            ShapeKind::Linear if d < self.scale => {
                let r = d / self.scale;
                let q = 1.0 - r;
                (q.ln(), [r / q, 0.0], [[-r / (q * q), 0.0], [0.0, 0.0]])
            }
            ShapeKind::Step if d < self.scale => (0.0, zero.0, zero.1),
            _ => (f64::NEG_INFINITY, zero.0, zero.1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::needless_range_loop)] // index notation mirrors the formulas
    fn derivatives_match_central_differences_of_the_curve() {
        // The analytic gradient and Hessian of ln f against differences of
        // DecayCurve::evaluate, at delays below, around and above the scale.
        let cases: [(ShapeKind, &[f64]); 3] = [
            (ShapeKind::Exponential, &[3.0]),
            (ShapeKind::Weibull, &[3.5, 0.4]),
            (ShapeKind::Linear, &[4.0]),
        ];
        for (shape, y) in cases {
            let ln_f = |y: &[f64], d: f64| curve(shape, y).unwrap().evaluate(d).ln();
            for d in [0.5, 10.0, 30.0, 50.0] {
                let c = LnCurve::new(shape, y).unwrap();
                let (v, g, h) = c.terms(d, d.ln());
                assert!((v - ln_f(y, d)).abs() < 1e-12 * (1.0 + v.abs()), "{shape:?} {d}");
                assert_eq!(v, c.value(d, d.ln()));
                let e = 1e-5;
                for i in 0..y.len() {
                    let at = |s: f64| {
                        let mut z = y.to_vec();
                        z[i] += s;
                        LnCurve::new(shape, &z).unwrap().terms(d, d.ln())
                    };
                    let (up, down) = (at(e), at(-e));
                    let g_num = (up.0 - down.0) / (2.0 * e);
                    assert!((g[i] - g_num).abs() < 1e-6 * (1.0 + g_num.abs()), "{shape:?} {d} g{i}");
                    for j in 0..y.len() {
                        let h_num = (up.1[j] - down.1[j]) / (2.0 * e);
                        assert!(
                            (h[i][j] - h_num).abs() < 1e-6 * (1.0 + h_num.abs()),
                            "{shape:?} {d} h{i}{j}"
                        );
                    }
                }
            }
        }
        let linear = LnCurve::new(ShapeKind::Linear, &[4.0]).unwrap();
        assert_eq!(linear.value(60.0, 60f64.ln()), f64::NEG_INFINITY);
        assert_eq!(linear.terms(0.0, f64::NEG_INFINITY).0, 0.0);
    }
}
