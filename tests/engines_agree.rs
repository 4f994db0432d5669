//! The per-SQL and collapsed engines agree in distribution: each engine's
//! counts pass a chi-square test against the exact binomial law, with fixed
//! seeds (so never flaky) and a critical value at p = 1e-6 (so a wrong law
//! fails by a wide margin at these sample sizes).

use lead_decay::exact::warm_probability;
use lead_decay::{
    DealValue, DecayCurve, DelayDistribution, Engine, Hours, Scenario, Segment, Simulation, TrialOutcome,
};

const TRIALS: u64 = 100_000;

fn pmf_binomial(n: u64, p: f64) -> Vec<f64> {
    let ln_fact = |k: u64| puruspe::ln_gamma(k as f64 + 1.0);
    (0..=n)
        .map(|k| {
            if p == 0.0 {
                return f64::from(u8::from(k == 0));
            }
            (ln_fact(n) - ln_fact(k) - ln_fact(n - k) + k as f64 * p.ln() + (n - k) as f64 * (-p).ln_1p()).exp()
        })
        .collect()
}

/// Chi-square statistic of observed counts against a pmf, pooling cells
/// with fewer than 5 expected observations; returns (statistic, degrees of freedom).
fn chi_square(observed: &[u64], pmf: &[f64], trials: u64) -> (f64, usize) {
    let (mut stat, mut cells) = (0.0, 0usize);
    let (mut pooled_obs, mut pooled_exp) = (0.0, 0.0);
    for (k, p) in pmf.iter().enumerate() {
        pooled_obs += observed.get(k).copied().unwrap_or(0) as f64;
        pooled_exp += p * trials as f64;
        if pooled_exp >= 5.0 {
            stat += (pooled_obs - pooled_exp).powi(2) / pooled_exp;
            cells += 1;
            pooled_obs = 0.0;
            pooled_exp = 0.0;
        }
    }
    let beyond: u64 = observed.iter().skip(pmf.len()).sum();
    assert_eq!(beyond, 0, "observed values outside the support");
    if pooled_exp > 0.0 {
        stat += (pooled_obs - pooled_exp).powi(2) / pooled_exp.max(1e-300);
        cells += 1;
    }
    (stat, cells.saturating_sub(1).max(1))
}

/// The chi-square quantile at 1 - 1e-6 (Wilson-Hilferty, z = 4.753).
fn critical(df: usize) -> f64 {
    let df = df as f64;
    let a = 2.0 / (9.0 * df);
    df * (1.0 - a + 4.753 * a.sqrt()).powi(3)
}

fn histogram(scenario: &Scenario, engine: Engine, seed: u64, metric: impl Fn(&TrialOutcome) -> u64) -> Vec<u64> {
    let mut counts = vec![0u64; scenario.total_sqls() as usize + 1];
    Simulation::new(scenario)
        .seed(seed)
        .engine(engine)
        .for_each_trial(0..TRIALS, |_, total, _| counts[metric(total) as usize] += 1)
        .unwrap();
    counts
}

fn assert_fits(name: &str, engine: Engine, observed: &[u64], pmf: &[f64]) {
    let (stat, df) = chi_square(observed, pmf, TRIALS);
    assert!(
        stat < critical(df),
        "{engine}, {name}: chi-square {stat:.1} with {df} df exceeds {:.1}",
        critical(df)
    );
}

#[test]
fn count_neglect_gives_binomial_customers_with_both_engines() {
    let delay = DelayDistribution::exponential(Hours::from_days(2.0).unwrap()).unwrap();
    let decay = DecayCurve::exponential(Hours::from_days(3.0).unwrap()).unwrap();
    let r = warm_probability(&decay, &delay);
    let segment = Segment::builder("s")
        .sqls(60)
        .close_rate(0.3)
        .deal_value(DealValue::fixed(1_000.0).unwrap())
        .decay(decay)
        .neglected(12)
        .delay(delay)
        .build()
        .unwrap();
    let scenario = Scenario::builder("agree").segment(segment).build().unwrap();
    for engine in [Engine::PerSql, Engine::Collapsed] {
        let customers = histogram(&scenario, engine, 1, |t| t.customers);
        assert_fits("customers", engine, &customers, &pmf_binomial(48, 0.3 * r));
        let ideal = histogram(&scenario, engine, 2, |t| t.customers_ideal());
        assert_fits("customers_ideal", engine, &ideal, &pmf_binomial(60, 0.3));
    }
}

#[test]
fn probability_neglect_without_an_sla_gives_binomial_counts_and_compound_revenue() {
    // Without an SLA the per-SQL engine decides each SQL with one uniform
    // (customer, lost customer or neither): customers ~ Binomial(N, (1 − q) p r)
    // and lost ~ Binomial(N, p − (1 − q) p r), and revenue is a compound sum
    // with mean E[C] m and variance E[C] Var(V) + Var(C) m².
    let delay = DelayDistribution::lognormal(Hours::from_days(1.0).unwrap(), 0.9).unwrap();
    let decay = DecayCurve::weibull(Hours::from_days(3.0).unwrap(), 1.4).unwrap();
    let r = warm_probability(&decay, &delay);
    let (n, p, q, mean, cv) = (150u64, 0.3, 0.36, 40_000.0, 0.6);
    let segment = Segment::builder("s")
        .sqls(n)
        .close_rate(p)
        .deal_value(DealValue::lognormal(mean, cv).unwrap())
        .decay(decay)
        .never_followed_up(q)
        .delay(delay)
        .build()
        .unwrap();
    let scenario = Scenario::builder("agree").segment(segment).build().unwrap();
    let customer = (1.0 - q) * p * r;
    for engine in [Engine::PerSql, Engine::Collapsed] {
        let customers = histogram(&scenario, engine, 3, |t| t.customers);
        assert_fits("customers", engine, &customers, &pmf_binomial(n, customer));
        let lost = histogram(&scenario, engine, 4, |t| t.customers_lost);
        assert_fits("customers_lost", engine, &lost, &pmf_binomial(n, p - customer));

        let mut revenue = Vec::with_capacity(TRIALS as usize);
        Simulation::new(&scenario)
            .seed(5)
            .engine(engine)
            .for_each_trial(0..TRIALS, |_, t, _| revenue.push(t.revenue))
            .unwrap();
        let count = TRIALS as f64;
        let m = revenue.iter().sum::<f64>() / count;
        let var = revenue.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (count - 1.0);
        let c_mean = n as f64 * customer;
        let exact_mean = c_mean * mean;
        let exact_var = c_mean * (cv * mean).powi(2) + c_mean * (1.0 - customer) * mean * mean;
        assert!(
            (m - exact_mean).abs() < 5.0 * (exact_var / count).sqrt(),
            "{engine}: revenue mean {m} vs {exact_mean}"
        );
        let m4 = revenue.iter().map(|x| (x - m).powi(4)).sum::<f64>() / count;
        let var_se = ((m4 - var * var) / count).sqrt();
        assert!(
            (var - exact_var).abs() < 5.0 * var_se,
            "{engine}: revenue variance {var} vs {exact_var} ± {var_se}"
        );
    }
}

#[test]
fn probability_neglect_with_an_sla_agrees_for_every_count() {
    let delay = DelayDistribution::gamma(Hours::new(30.0).unwrap(), 1.7).unwrap();
    let decay = DecayCurve::weibull(Hours::from_days(2.0).unwrap(), 0.8).unwrap();
    let sla = Hours::from_days(1.0).unwrap();
    let r = warm_probability(&decay, &delay);
    let within = delay.cdf(sla.get());
    let segment = Segment::builder("s")
        .sqls(50)
        .close_rate(0.4)
        .deal_value(DealValue::lognormal(10_000.0, 0.8).unwrap())
        .decay(decay)
        .never_followed_up(0.3)
        .delay(delay)
        .sla(sla)
        .build()
        .unwrap();
    let scenario = Scenario::builder("agree").segment(segment).build().unwrap();
    for engine in [Engine::PerSql, Engine::Collapsed] {
        assert_fits(
            "customers",
            engine,
            &histogram(&scenario, engine, 3, |t| t.customers),
            &pmf_binomial(50, 0.7 * 0.4 * r),
        );
        assert_fits(
            "sla_met",
            engine,
            &histogram(&scenario, engine, 4, |t| t.sla_met),
            &pmf_binomial(50, 0.7 * within),
        );
        assert_fits(
            "customers_lost",
            engine,
            &histogram(&scenario, engine, 5, |t| t.customers_lost),
            &pmf_binomial(50, 0.4 * (1.0 - 0.7 * r)),
        );
    }
    // The joint law matters too: warmth and "worked within the SLA" both
    // depend on the same delay. Per SQL (independent across SQLs):
    // cov(C_i, S_i) = (1 - q) p a - (1 - q) p r (1 - q) F with a = E[f(D); D <= sla].
    let a = lead_decay::exact::warm_probability_within(
        scenario.segments()[0].decay(),
        scenario.segments()[0].follow_up().delay(),
        sla.get(),
    );
    let exact = 50.0 * (0.7 * 0.4 * a - 0.7 * 0.4 * r * 0.7 * within);
    for engine in [Engine::PerSql, Engine::Collapsed] {
        let mut pairs = Vec::with_capacity(TRIALS as usize);
        Simulation::new(&scenario)
            .seed(6)
            .engine(engine)
            .for_each_trial(0..TRIALS, |_, t, _| pairs.push((t.customers as f64, t.sla_met as f64)))
            .unwrap();
        let n = TRIALS as f64;
        let (mx, my) = (
            pairs.iter().map(|p| p.0).sum::<f64>() / n,
            pairs.iter().map(|p| p.1).sum::<f64>() / n,
        );
        let products: Vec<f64> = pairs.iter().map(|(x, y)| (x - mx) * (y - my)).collect();
        let covariance = products.iter().sum::<f64>() / n;
        let se = (products.iter().map(|z| (z - covariance).powi(2)).sum::<f64>() / (n - 1.0) / n).sqrt();
        // Drawing warmth and SLA independently would give about half of `exact`.
        assert!(
            (covariance - exact).abs() < 5.0 * se,
            "{engine}: covariance {covariance}, exact {exact}, se {se}"
        );
    }
}

#[test]
fn revenue_means_agree_within_their_standard_errors() {
    let scenario = Scenario::from_toml_str(
        r#"
name = "money"
marketing_spend = 1000000
[[segments]]
name = "a"
sqls = 200
close_rate = 0.25
deal_value = { dist = "gamma", mean = 20000, cv = 1.2 }
decay = { shape = "table", points = [["1d", 0.6], ["1w", 0.2], ["4w", 0.05]] }
never_followed_up = 0.2
follow_up = { dist = "lognormal", median = "2d", sigma = 1.2 }
"#,
    )
    .unwrap();
    let run = |engine| {
        Simulation::new(&scenario)
            .trials(40_000)
            .seed(8)
            .engine(engine)
            .run()
            .unwrap()
    };
    let (a, b) = (run(Engine::PerSql), run(Engine::Collapsed));
    for (name, x, y) in [
        ("revenue", a.metrics.revenue, b.metrics.revenue),
        ("revenue_lost", a.metrics.revenue_lost, b.metrics.revenue_lost),
        ("roi_lost", a.metrics.roi_lost.unwrap(), b.metrics.roi_lost.unwrap()),
    ] {
        let se = x.std_error.hypot(y.std_error);
        assert!((x.mean - y.mean).abs() < 4.5 * se, "{name}: {} vs {}", x.mean, y.mean);
    }
    let e = a.expected;
    assert!((a.metrics.revenue.mean - e.revenue).abs() < 4.5 * a.metrics.revenue.std_error);
    assert!((b.metrics.revenue.mean - e.revenue).abs() < 4.5 * b.metrics.revenue.std_error);
}
