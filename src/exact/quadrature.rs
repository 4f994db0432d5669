//! Adaptive Gauss-Kronrod 7/15 quadrature (QUADPACK's `qk15` rule) with a
//! budget of intervals, so that no integrand can make it run long.

/// Gauss-Kronrod 7/15 nodes (QUADPACK `qk15`): abscissae `x_i` on [0, 1),
/// Kronrod weights, and the Gauss weights of the nodes with odd index.
pub(crate) const XGK: [f64; 8] = [
    0.991_455_371_120_812_6,
    0.949_107_912_342_758_5,
    0.864_864_423_359_769_1,
    0.741_531_185_599_394_4,
    0.586_087_235_467_691_1,
    0.405_845_151_377_397_2,
    0.207_784_955_007_898_5,
    0.0,
];
pub(crate) const WGK: [f64; 8] = [
    0.022_935_322_010_529_225,
    0.063_092_092_629_978_55,
    0.104_790_010_322_250_18,
    0.140_653_259_715_525_92,
    0.169_004_726_639_267_9,
    0.190_350_578_064_785_4,
    0.204_432_940_075_298_9,
    0.209_482_141_084_727_83,
];
pub(crate) const WG: [f64; 4] = [
    0.129_484_966_168_869_7,
    0.279_705_391_489_276_7,
    0.381_830_050_505_118_9,
    0.417_959_183_673_469_4,
];

/// Adaptive Gauss-Kronrod 7/15 with a budget of intervals, so that no
/// integrand can make it run long.
pub(crate) struct Adaptive<'a, F: Fn(f64) -> f64> {
    f: &'a F,
    budget: usize,
}

impl<'a, F: Fn(f64) -> f64> Adaptive<'a, F> {
    pub(crate) fn new(f: &'a F) -> Self {
        Adaptive { f, budget: 20_000 }
    }

    /// `(Kronrod estimate, error estimate, roundoff floor)` on `[a, b]`.
    pub(crate) fn kronrod(&self, a: f64, b: f64) -> (f64, f64, f64) {
        super::work::charge(15);
        let center = 0.5 * (a + b);
        let half = 0.5 * (b - a);
        let fc = (self.f)(center);
        let mut kronrod = WGK[7] * fc;
        let mut gauss = WG[3] * fc;
        let mut abs = kronrod.abs();
        let mut values = [0.0f64; 14];
        for i in 0..7 {
            let dx = half * XGK[i];
            let (f1, f2) = ((self.f)(center - dx), (self.f)(center + dx));
            values[2 * i] = f1;
            values[2 * i + 1] = f2;
            kronrod += WGK[i] * (f1 + f2);
            abs += WGK[i] * (f1.abs() + f2.abs());
            if i % 2 == 1 {
                gauss += WG[i / 2] * (f1 + f2);
            }
        }
        let mean = 0.5 * kronrod;
        let mut asc = WGK[7] * (fc - mean).abs();
        for i in 0..7 {
            asc += WGK[i] * ((values[2 * i] - mean).abs() + (values[2 * i + 1] - mean).abs());
        }
        let (kronrod, abs, asc) = (kronrod * half, abs * half.abs(), asc * half.abs());
        let mut err = (kronrod - gauss * half).abs();
        if asc != 0.0 && err != 0.0 {
            err = asc * (200.0 * err / asc).powf(1.5).min(1.0);
        }
        (kronrod, err, 50.0 * f64::EPSILON * abs)
    }

    /// The integral of `f` over `[a, b]` to `tol`; NaN once the work budget
    /// this runs within is spent ([`work::within`](super::work::within)).
    pub(crate) fn integrate(&mut self, a: f64, b: f64, tol: f64) -> f64 {
        if super::work::exhausted() {
            return f64::NAN;
        }
        let (value, err, roundoff) = self.kronrod(a, b);
        if err <= tol.max(roundoff) || self.budget == 0 || !(err.is_finite()) {
            return value;
        }
        let mid = 0.5 * (a + b);
        if !(mid > a && mid < b) {
            return value;
        }
        self.budget -= 1;
        self.integrate(a, mid, 0.5 * tol) + self.integrate(mid, b, 0.5 * tol)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(1e-300)
    }

    #[test]
    fn kronrod_integrates_polynomials_exactly() {
        let f = |x: f64| 3.0 * x.powi(8) - x.powi(5) + 2.0;
        let quad = Adaptive::new(&f);
        let exact = |x: f64| x.powi(9) / 3.0 - x.powi(6) / 6.0 + 2.0 * x;
        assert!(close(quad.kronrod(-1.0, 2.0).0, exact(2.0) - exact(-1.0), 1e-14));
        let g = |x: f64| (-x * x).exp();
        let mut quad = Adaptive::new(&g);
        assert!(close(quad.integrate(-10.0, 10.0, 1e-15), PI.sqrt(), 1e-14));
    }
}
