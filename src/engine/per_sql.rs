//! The per-SQL engine: every SQL of the cohort drawn one by one, exactly as
//! the generative model of MODEL.md section 5 describes it.

use rand::{Rng, RngExt};

use super::outcome::TrialOutcome;
use crate::follow_up::Neglect;
use crate::segment::Segment;

/// Simulates one segment for one trial, SQL by SQL.
///
/// Draws only what an outcome needs: an SQL that would not close needs no
/// delay, warmth or deal value, unless the segment has an SLA (then its
/// delay is drawn to count whether the SLA was met).
pub(crate) fn simulate_segment<R: Rng + ?Sized>(segment: &Segment, rng: &mut R) -> TrialOutcome {
    let follow_up = segment.follow_up();
    let delay = follow_up.delay();
    let decay = segment.decay();
    let deal_value = segment.deal_value();
    let close_rate = segment.close_rate();
    let sla = follow_up.sla().map(|h| h.get());
    let (neglected_count, never_followed_up) = match follow_up.neglect() {
        Neglect::None => (0, 0.0),
        Neglect::Count(k) => (k, 0.0),
        Neglect::Probability(q) => (0, q),
    };

    let mut outcome = TrialOutcome::default();
    for i in 0..segment.sqls() {
        // SQLs are exchangeable, so the neglected count can be the first k.
        let neglected = i < neglected_count || (never_followed_up > 0.0 && rng.random::<f64>() < never_followed_up);
        let would_close = rng.random::<f64>() < close_rate;
        if neglected {
            if would_close {
                outcome.customers_lost += 1;
                outcome.revenue_lost += deal_value.sample(rng);
            }
            continue;
        }
        if !would_close && sla.is_none() {
            continue;
        }
        let d = delay.sample(rng);
        if sla.is_some_and(|sla| d <= sla) {
            outcome.sla_met += 1;
        }
        if !would_close {
            continue;
        }
        let value = deal_value.sample(rng);
        let f = decay.evaluate(d);
        // W ~ U(0,1) decides warmth; when f is 0 or 1 the draw cannot matter.
        let warm = f >= 1.0 || (f > 0.0 && rng.random::<f64>() < f);
        if warm {
            outcome.customers += 1;
            outcome.revenue += value;
        } else {
            outcome.customers_lost += 1;
            outcome.revenue_lost += value;
        }
    }
    outcome
}
