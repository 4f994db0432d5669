//! Randomised quasi-Monte Carlo: scrambled Sobol point sets on the unit
//! cube `[0, 1)^d`, and the mean of a function over the cube with a
//! standard error from independent randomised replicates.
//!
//! A Sobol sequence (Joe–Kuo direction numbers, `new-joe-kuo-6`) fills the
//! cube far more evenly than independent draws: for a smooth integrand the
//! error of the mean of `n` points falls nearly as `1/n` rather than
//! `1/√n`. Alone it has no error estimate; randomising it gives one
//! (randomised QMC, Owen 1997; L'Ecuyer & Lemieux 2002):
//!
//! - each coordinate of point `i` is the Sobol integer of `i` in that
//!   dimension, put through a nested (Owen) scramble keyed by the replicate
//!   (the hash-based scramble of Burley 2020, from the `sobol_burley`
//!   crate), then XOR-ed with a random 32-bit digital shift. The scramble
//!   keeps the point set a `(t, m, d)`-net (each elementary interval of
//!   volume `2^-m` holds its share of the first `2^m` points) and makes its
//!   error smaller; the digital shift makes every point exactly uniform on
//!   the grid of `2^32` cells per coordinate, whatever the scramble, so the
//!   mean over the points is an unbiased estimate of the integral (up to the
//!   cell's width, `2^-32`);
//! - the 32-bit integer `k` becomes the cell's midpoint `(k + 1/2) 2^-32`,
//!   so a coordinate is never exactly 0 or 1 and an inverse CDF at it is
//!   always finite;
//! - replicate `r` of seed `s` draws its scrambles and shifts from a
//!   SplitMix64 stream of `(s, r)` alone, so replicates are independent and
//!   reproducible; the mean of `R` replicate means is unbiased and the
//!   spread of the replicate means gives its standard error.
//!
//! Limits: [`ScrambledSobol::MAX_DIMENSION`] coordinates and
//! [`ScrambledSobol::MAX_POINTS`] points per replicate (more precision comes
//! from more replicates). Powers of two are the natural point counts: the
//! net property holds for the first `2^m` points.

use crate::error::{Error, Result};

/// Randomised (Owen-scrambled, digitally shifted) Sobol points on `[0, 1)^d`:
/// one replicate of a randomised QMC design. See the [module docs](self).
#[derive(Debug, Clone)]
pub(crate) struct ScrambledSobol {
    /// One Owen-scramble key per dimension (already hashed).
    scrambles: Vec<u32>,
    /// One digital shift per dimension.
    shifts: Vec<u32>,
}

/// `2^-32`: the width of one cell of a coordinate's grid.
const CELL: f64 = 1.0 / 4_294_967_296.0;

impl ScrambledSobol {
    /// The largest dimension supported (the direction numbers shipped by
    /// `sobol_burley`).
    pub(crate) const MAX_DIMENSION: usize = sobol_burley::NUM_DIMENSIONS as usize;

    /// The most points of one replicate: the Sobol index has 16 bits.
    pub(crate) const MAX_POINTS: usize = 1 << 16;

    /// Replicate `replicate` of the design seeded with `seed`, in
    /// `dimension` coordinates.
    ///
    /// # Errors
    ///
    /// `dimension` outside `1..=MAX_DIMENSION`.
    pub(crate) fn new(dimension: usize, seed: u64, replicate: u64) -> Result<Self> {
        if !(1..=Self::MAX_DIMENSION).contains(&dimension) {
            return Err(Error::invalid(
                "dimension",
                dimension,
                format!("1 to {} coordinates of the unit cube", Self::MAX_DIMENSION),
            ));
        }
        let mut stream = Stream::new(seed, replicate);
        let mut scrambles = Vec::with_capacity(dimension);
        let mut shifts = Vec::with_capacity(dimension);
        for _ in 0..dimension {
            let word = stream.next();
            scrambles.push(sobol_burley::parts::hash(word as u32));
            shifts.push((word >> 32) as u32);
        }
        Ok(ScrambledSobol { scrambles, shifts })
    }

    /// The number of coordinates of a point.
    pub(crate) fn dimension(&self) -> usize {
        self.scrambles.len()
    }

    /// Writes point `index` into `out` (one value in `(0, 1)` per
    /// coordinate).
    ///
    /// # Panics
    ///
    /// If `index >= MAX_POINTS` or `out.len() != self.dimension()`: both are
    /// the calling code's to check (the point counts users give are
    /// validated where they enter, e.g. by [`mean_over_cube`]).
    pub(crate) fn point(&self, index: usize, out: &mut [f64]) {
        assert!(index < Self::MAX_POINTS, "Sobol index {index} beyond 2^16");
        assert_eq!(out.len(), self.dimension(), "point buffer of the wrong dimension");
        // sobol_burley works on bit-reversed integers; the index's 16 bits
        // sit at the top of the reversed word.
        let index_rev = (index as u32).reverse_bits();
        for (dim, slot) in out.iter_mut().enumerate() {
            let sobol_rev = sobol_burley::parts::sobol_rev(index_rev, dim as u32);
            let scrambled = sobol_burley::parts::owen_scramble_rev(sobol_rev, self.scrambles[dim]).reverse_bits();
            let k = scrambled ^ self.shifts[dim];
            *slot = (f64::from(k) + 0.5) * CELL;
        }
    }
}

/// The SplitMix64 stream of replicate `r` of seed `s`.
struct Stream(u64);

impl Stream {
    const PHI: u64 = 0x9E37_79B9_7F4A_7C15;

    fn new(seed: u64, replicate: u64) -> Self {
        // Two mixes so that nearby (seed, replicate) pairs start far apart.
        Stream(mix64(
            mix64(seed ^ 0x243F_6A88_85A3_08D3).wrapping_add(replicate.wrapping_mul(Self::PHI)),
        ))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(Self::PHI);
        mix64(self.0)
    }
}

/// The SplitMix64 finaliser (a bijection on u64).
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A randomised-QMC estimate of a mean over the unit cube.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct CubeMean {
    /// The mean of the replicate means: an unbiased estimate of the
    /// integral.
    pub(crate) mean: f64,
    /// The standard error of `mean`: the standard deviation of the replicate
    /// means over `√R`.
    pub(crate) standard_error: f64,
}

/// Checks the sizes of a randomised QMC run.
fn check_design(points: usize, replicates: usize) -> Result<()> {
    if !(1..=ScrambledSobol::MAX_POINTS).contains(&points) {
        return Err(Error::invalid(
            "points",
            points,
            format!(
                "1 to {} points per replicate (a power of two is best)",
                ScrambledSobol::MAX_POINTS
            ),
        ));
    }
    if replicates < 2 {
        return Err(Error::invalid(
            "replicates",
            replicates,
            "at least 2 randomised replicates (their spread is the standard error)",
        ));
    }
    Ok(())
}

/// The mean of `f` over `[0, 1)^dimension` by `replicates` independent
/// scrambled Sobol replicates of `points` points each, seeded with `seed`:
/// `(mean, standard error)`.
///
/// # Errors
///
/// A dimension outside `1..=MAX_DIMENSION`, `points` outside
/// `1..=MAX_POINTS`, fewer than 2 replicates, an error from `f`, or a value
/// of `f` that is not finite.
pub(crate) fn mean_over_cube<F>(
    dimension: usize,
    points: usize,
    replicates: usize,
    seed: u64,
    mut f: F,
) -> Result<(f64, f64)>
where
    F: FnMut(&[f64]) -> Result<f64>,
{
    let means = means_over_cube(dimension, points, replicates, seed, 1, |u, out| {
        out[0] = f(u)?;
        Ok(())
    })?;
    Ok((means[0].mean, means[0].standard_error))
}

/// The means of the `outputs` values of `f` over `[0, 1)^dimension`, as
/// [`mean_over_cube`] with every output evaluated at the same points: `f`
/// writes its values into the slice it is given.
///
/// # Errors
///
/// As [`mean_over_cube`]; also `outputs == 0`.
pub(crate) fn means_over_cube<F>(
    dimension: usize,
    points: usize,
    replicates: usize,
    seed: u64,
    outputs: usize,
    mut f: F,
) -> Result<Vec<CubeMean>>
where
    F: FnMut(&[f64], &mut [f64]) -> Result<()>,
{
    check_design(points, replicates)?;
    if outputs == 0 {
        return Err(Error::invalid("outputs", outputs, "at least 1 output"));
    }
    let mut u = vec![0.0; dimension.max(1)];
    let mut values = vec![0.0; outputs];
    // replicate_means[o][r]
    let mut replicate_means = vec![Vec::with_capacity(replicates); outputs];
    for replicate in 0..replicates {
        let design = ScrambledSobol::new(dimension, seed, replicate as u64)?;
        let mut sums = vec![0.0; outputs];
        for index in 0..points {
            design.point(index, &mut u);
            f(&u, &mut values)?;
            for (output, (sum, &value)) in sums.iter_mut().zip(&values).enumerate() {
                if !value.is_finite() {
                    return Err(Error::invalid(
                        format!("output {output} at point {index} of replicate {replicate}"),
                        value,
                        "a finite value of the function being averaged",
                    ));
                }
                *sum += value;
            }
        }
        for (means, sum) in replicate_means.iter_mut().zip(sums) {
            means.push(sum / points as f64);
        }
    }
    Ok(replicate_means.iter().map(|means| replicate_estimate(means)).collect())
}

/// The mean of independent replicate estimates and its standard error.
pub(crate) fn replicate_estimate(means: &[f64]) -> CubeMean {
    let r = means.len() as f64;
    let mean = means.iter().sum::<f64>() / r;
    let variance = means.iter().map(|m| (m - mean).powi(2)).sum::<f64>() / (r - 1.0);
    CubeMean {
        mean,
        standard_error: (variance / r).sqrt(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(design: &ScrambledSobol, n: usize) -> Vec<Vec<f64>> {
        (0..n)
            .map(|i| {
                let mut u = vec![0.0; design.dimension()];
                design.point(i, &mut u);
                u
            })
            .collect()
    }

    #[test]
    fn every_coordinate_is_strictly_inside_the_unit_interval() {
        let design = ScrambledSobol::new(ScrambledSobol::MAX_DIMENSION, 1, 0).unwrap();
        for u in points(&design, 256) {
            assert!(u.iter().all(|&x| x > 0.0 && x < 1.0));
        }
    }

    #[test]
    fn first_1024_points_put_one_point_in_each_1024th_of_every_one_of_64_coordinates() {
        let design = ScrambledSobol::new(64, 7, 3).unwrap();
        let pts = points(&design, 1024);
        for dim in 0..64 {
            let mut seen = [false; 1024];
            for u in &pts {
                let cell = (u[dim] * 1024.0) as usize;
                assert!(!seen[cell], "dimension {dim}: two points in cell {cell}");
                seen[cell] = true;
            }
        }
    }

    #[test]
    fn first_two_coordinates_form_a_0_8_2_net_after_scrambling() {
        // Sobol's first two dimensions are a (0, m, 2)-net: every
        // elementary interval of area 2^-8 holds exactly one of 256 points.
        let design = ScrambledSobol::new(2, 11, 5).unwrap();
        let pts = points(&design, 256);
        for a in 0..=8 {
            let (nx, ny) = (1usize << a, 1usize << (8 - a));
            let mut count = vec![0; nx * ny];
            for u in &pts {
                count[(u[0] * nx as f64) as usize * ny + (u[1] * ny as f64) as usize] += 1;
            }
            assert!(count.iter().all(|&c| c == 1), "boxes {nx} x {ny}");
        }
    }

    #[test]
    fn same_seed_and_replicate_give_the_same_points_and_others_do_not() {
        let a = points(&ScrambledSobol::new(5, 42, 0).unwrap(), 16);
        assert_eq!(a, points(&ScrambledSobol::new(5, 42, 0).unwrap(), 16));
        assert_ne!(a, points(&ScrambledSobol::new(5, 42, 1).unwrap(), 16));
        assert_ne!(a, points(&ScrambledSobol::new(5, 43, 0).unwrap(), 16));
    }

    /// `exp(mean of the coordinates)` over `[0, 1)^d`: `(d (e^(1/d) - 1))^d`.
    fn smooth(u: &[f64]) -> Result<f64> {
        Ok((u.iter().sum::<f64>() / u.len() as f64).exp())
    }

    fn smooth_integral(d: usize) -> f64 {
        let d = d as f64;
        (d * ((1.0 / d).exp() - 1.0)).powf(d)
    }

    #[test]
    fn mean_of_a_smooth_function_in_8_dimensions_is_within_5_se_and_far_better_than_monte_carlo() {
        let exact = smooth_integral(8);
        let (mean, se) = mean_over_cube(8, 1024, 16, 2024, smooth).unwrap();
        assert!((mean - exact).abs() < 5.0 * se, "{mean} vs {exact}, se {se}");
        // Plain Monte Carlo with the same 16 x 1024 points: the standard
        // deviation of f is about 0.105 here, so its standard error would be
        // 0.105 / 128 = 8e-4. Randomised QMC is at least 30 times better.
        assert!(se < 8e-4 / 30.0, "se {se}");
        assert!(se > 0.0);
    }

    #[test]
    fn the_reported_standard_error_matches_the_spread_of_independent_estimates() {
        // 200 independent estimates (different seeds) of the same integral:
        // their spread around the truth must match the standard errors they
        // report. With 8 replicates each z = (mean - exact) / se is Student
        // t with 7 degrees of freedom, E[z^2] = 7/5; the average of 200 such
        // z^2 has a standard error of about 0.2 (t_7's fourth moment is
        // finite), so 0.7..2.4 is far outside chance.
        let exact = smooth_integral(4);
        let mut sum_z2 = 0.0;
        for seed in 0..200 {
            let (mean, se) = mean_over_cube(4, 64, 8, seed, smooth).unwrap();
            sum_z2 += ((mean - exact) / se).powi(2);
        }
        let mean_z2 = sum_z2 / 200.0;
        assert!((0.7..2.4).contains(&mean_z2), "mean z^2 = {mean_z2}");
    }

    #[test]
    fn several_outputs_are_averaged_at_the_same_points() {
        let means = means_over_cube(3, 256, 4, 9, 2, |u, out| {
            out[0] = u[0];
            out[1] = u[1] * u[2];
            Ok(())
        })
        .unwrap();
        assert!((means[0].mean - 0.5).abs() < 5.0 * means[0].standard_error + 1e-12);
        assert!((means[1].mean - 0.25).abs() < 5.0 * means[1].standard_error + 1e-12);
    }

    #[test]
    fn bad_designs_are_errors_that_name_their_field() {
        let f = |_: &[f64]| Ok(1.0);
        let message = |r: Result<(f64, f64)>| r.unwrap_err().to_string();
        assert!(message(mean_over_cube(0, 16, 4, 1, f)).starts_with("dimension:"));
        assert!(message(mean_over_cube(257, 16, 4, 1, f)).starts_with("dimension:"));
        assert!(message(mean_over_cube(2, 0, 4, 1, f)).starts_with("points:"));
        assert!(message(mean_over_cube(2, 1 << 17, 4, 1, f)).starts_with("points:"));
        assert!(message(mean_over_cube(2, 16, 1, 1, f)).starts_with("replicates:"));
        let nan = mean_over_cube(2, 16, 4, 1, |u| Ok(if u[0] < 0.5 { f64::NAN } else { 1.0 }));
        assert!(message(nan).contains("finite"));
    }
}
