//! The per-SQL engine: every SQL of the cohort drawn one by one, exactly as
//! the generative model of MODEL.md section 5 describes it.
//!
//! SQLs are exchangeable, so the draws are reordered (the law is not): a
//! first pass draws, for every SQL, whether it is neglected and whether it
//! would close, and only counts; a second pass draws delay, warmth and deal
//! value for the SQLs whose outcome needs them.

use rand::{Rng, RngExt};
use rand_distr::{Distribution, Exp1};

use super::outcome::TrialOutcome;
use crate::decay::DecayShape;
use crate::follow_up::{DelayShape, Neglect};
use crate::segment::Segment;

/// `P(x < threshold)` for a uniform 32-bit `x` is `p` quantised to 2^-32
/// (rounded to nearest); `p = 1` gives 2^32, which every 32-bit value is
/// below, so 0 and 1 stay exact.
fn threshold(p: f64) -> u64 {
    (p.clamp(0.0, 1.0) * 4_294_967_296.0).round() as u64
}

/// Simulates one segment for one trial, SQL by SQL.
///
/// Draws only what an outcome needs: an SQL that would not close needs no
/// delay, warmth or deal value, unless the segment has an SLA (then its
/// delay is drawn to count whether the SLA was met).
pub(crate) fn simulate_segment<R: Rng + ?Sized>(segment: &Segment, rng: &mut R) -> TrialOutcome {
    let follow_up = segment.follow_up();
    let delay = follow_up.delay();
    let deal_value = segment.deal_value();
    let sla = follow_up.sla().map(|h| h.get());
    let (neglected_count, never_followed_up) = match follow_up.neglect() {
        Neglect::None => (0, 0.0),
        Neglect::Count(k) => (k, 0.0),
        Neglect::Probability(q) => (0, q),
    };

    // Pass 1: one u64 per SQL; its high half decides neglect, its low half
    // whether it would close. Branch-free counting: perf on the throughput
    // scenario (q = 0.36, p = 0.25) showed 55 % of the time in this loop when
    // it branched on two f64 draws (two mispredictions most SQLs). Counting
    // here, plus the Exp(1) warmth test below, took the throughput scenario
    // from 84 M to 198 M SQL-trials/s on one thread (`simulate --scenario
    // benches/data/throughput.toml --trials 20000 --engine per-sql --threads 1`).
    let (t_neglect, t_close) = (threshold(never_followed_up), threshold(segment.close_rate()));

    // The words are drawn into a buffer first and counted after, so the
    // counting loop has no generator step in it; this took the throughput
    // scenario from 205 M to 223 M SQL-trials/s on one thread.
    let n = segment.sqls();
    // SQLs are exchangeable, so the neglected count can be the first k:
    // those only need whether they would close.
    let (mut neglected, mut closers, mut neglected_closers) = (neglected_count, 0u64, 0u64);
    for _ in 0..neglected_count {
        neglected_closers += u64::from((rng.next_u64() & 0xFFFF_FFFF) < t_close);
    }
    closers += neglected_closers;
    let mut buffer = [0u64; 256];
    let mut remaining = n - neglected_count;
    while remaining > 0 {
        let words = &mut buffer[..remaining.min(256) as usize];
        for word in words.iter_mut() {
            *word = rng.next_u64();
        }
        for &x in words.iter() {
            let neg = u64::from((x >> 32) < t_neglect);
            let closes = u64::from((x & 0xFFFF_FFFF) < t_close);
            neglected += neg;
            closers += closes;
            neglected_closers += neg & closes;
        }
        remaining -= words.len() as u64;
    }
    let worked = n - neglected;
    let worked_closers = closers - neglected_closers;

    let mut outcome = TrialOutcome {
        customers_lost: neglected_closers,
        ..TrialOutcome::default()
    };
    for _ in 0..neglected_closers {
        outcome.revenue_lost += deal_value.sample(rng);
    }
    if let Some(sla) = sla {
        // Worked SQLs that would not close still count towards the SLA.
        for _ in worked_closers..worked {
            outcome.sla_met += u64::from(delay.sample(rng) <= sla);
        }
    }

    // Pass 2: the worked closers. With exponential decay, warm iff
    // W < 2^(-D/h) iff -ln W > D ln2 / h, and -ln W ~ Exp(1): one ziggurat
    // draw replaces a uniform and a libm exp2 (perf: 19 % of time in exp).
    let sla = sla.unwrap_or(f64::NAN);
    let decay = segment.decay();
    match (decay.shape(), delay.shape()) {
        (&DecayShape::Exponential { half_life }, &DelayShape::Exponential { mean }) => {
            // Exponential delays drawn here as mean x Exp(1) (the same law as
            // `DelayDistribution::sample`), so the whole loop inlines: 223 M
            // -> 237 M SQL-trials/s on the throughput scenario, one thread.
            let rate = std::f64::consts::LN_2 / half_life;
            worked_closers_loop(
                worked_closers,
                sla,
                &mut outcome,
                rng,
                |rng, d| {
                    let e: f64 = Exp1.sample(rng);
                    d <= 0.0 || e > d * rate
                },
                |rng| mean * <Exp1 as Distribution<f64>>::sample(&Exp1, rng),
                |rng| deal_value.sample(rng),
            );
        }
        (&DecayShape::Exponential { half_life }, _) => {
            let rate = std::f64::consts::LN_2 / half_life;
            worked_closers_loop(
                worked_closers,
                sla,
                &mut outcome,
                rng,
                |rng, d| {
                    // d <= 0 is always warm, NaN never, as `DecayCurve::evaluate`.
                    let e: f64 = Exp1.sample(rng);
                    d <= 0.0 || e > d * rate
                },
                |rng| delay.sample(rng),
                |rng| deal_value.sample(rng),
            );
        }
        _ => worked_closers_loop(
            worked_closers,
            sla,
            &mut outcome,
            rng,
            |rng, d| {
                let f = decay.evaluate(d);
                // W ~ U(0,1) decides warmth; when f is 0 or 1 the draw cannot matter.
                f >= 1.0 || (f > 0.0 && rng.random::<f64>() < f)
            },
            |rng| delay.sample(rng),
            |rng| deal_value.sample(rng),
        ),
    }
    outcome
}

/// The hot loop over worked closers: delay, SLA, warmth, deal value.
#[inline(always)]
fn worked_closers_loop<R: Rng + ?Sized>(
    count: u64,
    sla: f64,
    outcome: &mut TrialOutcome,
    rng: &mut R,
    warm: impl Fn(&mut R, f64) -> bool,
    delay: impl Fn(&mut R) -> f64,
    value: impl Fn(&mut R) -> f64,
) {
    for _ in 0..count {
        let d = delay(rng);
        // With no SLA, `sla` is NaN and never met.
        outcome.sla_met += u64::from(d <= sla);
        let v = value(rng);
        let w = warm(rng, d);
        outcome.customers += u64::from(w);
        outcome.customers_lost += u64::from(!w);
        outcome.revenue += if w { v } else { 0.0 };
        outcome.revenue_lost += if w { 0.0 } else { v };
    }
}
