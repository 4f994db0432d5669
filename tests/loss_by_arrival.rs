//! Where the loss happens (issue 17 item 6): a segment's revenue lost by
//! the hour of the week its SQLs arrive, exact; hand-checkable hours of the
//! office week, the sum over the week against the segment's expectation,
//! and the worst window.

use lead_decay::exact::arrival_loss::{loss_by_arrival, loss_by_arrival_hour};
use lead_decay::model::business_hours::{Arrivals, BusinessHours, DelayClock};
use lead_decay::{Calendar, DealValue, DecayCurve, DelayDistribution, Expected, Hours, Scenario, Segment};

fn h(x: f64) -> Hours {
    Hours::new(x).unwrap()
}

/// 1,000 SQLs at 10 %, 400 each, linear decay over a day, 5 % never followed up.
fn consumer(delay: DelayDistribution, hours: Option<BusinessHours>) -> Segment {
    Segment::builder("consumer")
        .sqls(1_000)
        .close_rate(0.1)
        .deal_value(DealValue::fixed(400.0).unwrap())
        .decay(DecayCurve::linear(h(24.0)).unwrap())
        .never_followed_up(0.05)
        .delay(delay)
        .build()
        .unwrap()
        .with_business_hours(hours)
}

fn office(arrivals: Arrivals) -> BusinessHours {
    BusinessHours::new(Calendar::office(), arrivals, DelayClock::Working, DelayClock::Calendar).unwrap()
}

#[test]
fn hours_of_the_office_week_lose_what_a_hand_computation_says() {
    // A fixed working hour; linear decay over 24 h, so warmth is 1 − C/24.
    let segment = consumer(
        DelayDistribution::fixed(h(1.0)).unwrap(),
        Some(office(Arrivals::Always)),
    );
    let loss = loss_by_arrival_hour(&segment).unwrap();
    let warm = |day: usize, hour: usize| loss.hours[24 * day + hour].warm_probability.unwrap();
    let cases = [
        // Tuesday 10-11: answered an hour later.
        (1, 10, 23.0 / 24.0),
        // Monday 00-01: arrival x, answered Monday 10:00, C = 10 − x, mean 9.5 h.
        (0, 0, 1.0 - 9.5 / 24.0),
        // Monday 08-09: C = 10 − (8 + x), mean 1.5 h.
        (0, 8, 1.0 - 1.5 / 24.0),
        // Thursday 16-17: 1 − x hours today, x hours Friday from 9: C = 17 h.
        (3, 16, 1.0 - 17.0 / 24.0),
        // Friday 16-17: the rest waits for Monday, C = 65 h.
        (4, 16, 0.0),
        // Saturday noon: answered Monday 10:00, 46 h later.
        (5, 12, 0.0),
        // Sunday 20-21: answered Monday 10:00, C = 14 − x, mean 13.5 h.
        (6, 20, 1.0 - 13.5 / 24.0),
    ];
    for (day, hour, expected) in cases {
        let got = warm(day, hour);
        assert!(
            (got - expected).abs() <= 1e-9,
            "day {day} hour {hour}: {got} vs {expected}"
        );
        let slot = &loss.hours[24 * day + hour];
        assert_eq!((slot.day as usize, slot.hour as usize), (day, hour));
        assert!((slot.share_of_sqls - 1.0 / 168.0).abs() < 1e-15);
        // 1,000 SQLs x 1/168 x 10 % x 400, of which 95 % worked.
        let ideal = 1_000.0 / 168.0 * 0.1 * 400.0;
        assert!((slot.revenue_ideal - ideal).abs() < 1e-9 * ideal);
        let lost = ideal - 0.95 * ideal * expected;
        assert!((slot.revenue_lost - lost).abs() <= 1e-9 * ideal, "{day} {hour}");
    }
}

#[test]
fn the_hours_sum_to_the_segments_expected_revenue_lost() {
    let mut friday_peak = vec![1.0; 168];
    friday_peak[4 * 24 + 15] = 20.0;
    for (delay, arrivals) in [
        (DelayDistribution::exponential(h(2.0)).unwrap(), Arrivals::Always),
        (DelayDistribution::fixed(h(3.0)).unwrap(), Arrivals::WorkingHours),
        (
            DelayDistribution::uniform(h(0.5), h(6.0)).unwrap(),
            Arrivals::HourOfWeek(friday_peak.clone()),
        ),
    ] {
        let segment = consumer(delay, Some(office(arrivals.clone())));
        let loss = loss_by_arrival_hour(&segment).unwrap();
        let expected = Expected::of_segment(&segment);
        let relative = (loss.revenue_lost - expected.revenue_lost).abs() / expected.revenue_lost;
        assert!(
            relative <= 1e-9,
            "{arrivals:?}: {} vs {}",
            loss.revenue_lost,
            expected.revenue_lost
        );
        assert!((loss.revenue_ideal - expected.revenue_ideal).abs() <= 1e-9 * expected.revenue_ideal);
        let shares: f64 = loss.hours.iter().map(|h| h.share_of_sqls).sum();
        assert!((shares - 1.0).abs() < 1e-12, "{shares}");
        if arrivals == Arrivals::WorkingHours {
            // Nobody arrives at night: no warmth to speak of there.
            assert_eq!(loss.hours[3].share_of_sqls, 0.0);
            assert_eq!(loss.hours[3].warm_probability, None);
            assert_eq!(loss.hours[3].loss_share(), None);
        }
    }
}

#[test]
fn the_worst_window_of_the_office_week_is_the_weekend() {
    let segment = consumer(
        DelayDistribution::fixed(h(1.0)).unwrap(),
        Some(office(Arrivals::Always)),
    );
    let loss = loss_by_arrival_hour(&segment).unwrap();
    let worst = loss.worst_window().unwrap();
    // From Friday 16:00 (every later Friday arrival waits for Monday) to
    // Sunday 22:00, the last hour that loses more than the week's average.
    assert_eq!((worst.start, worst.hours), (4 * 24 + 16, 54));
    assert!((worst.share_of_sqls - 54.0 / 168.0).abs() < 1e-12);
    let average = loss.loss_share();
    assert!(loss.hours[6 * 24 + 21].loss_share().unwrap() > average);
    assert!(loss.hours[6 * 24 + 22].loss_share().unwrap() < average);
    // By hand, in units of one hour's ideal revenue: worked SQLs keep
    // nothing until Sunday 10:00, then (k − 9.5)/24 in Sunday's hour k
    // (answered Monday 10:00), 3 hours' worth in all; 95 % are worked.
    let kept = 0.95 * 3.0;
    assert!((worst.loss_share - (54.0 - kept) / 54.0).abs() < 1e-9, "{worst:?}");
    assert_eq!(
        worst.to_string(),
        "SQLs that arrive between Friday 4 pm and Sunday 10 pm lose 95 % of their value; \
         they are 32 % of all SQLs and 59 % of the revenue lost"
    );
}

#[test]
fn arrival_time_does_not_matter_without_a_working_clock() {
    // The delay on the calendar clock: every hour loses the same share, and
    // there is no worst window.
    let hours = BusinessHours::new(
        Calendar::office(),
        Arrivals::Always,
        DelayClock::Calendar,
        DelayClock::Calendar,
    )
    .unwrap();
    let segment = consumer(DelayDistribution::exponential(h(2.0)).unwrap(), Some(hours));
    let loss = loss_by_arrival_hour(&segment).unwrap();
    let first = loss.hours[0].loss_share().unwrap();
    assert!(
        loss.hours
            .iter()
            .all(|h| (h.loss_share().unwrap() - first).abs() < 1e-12)
    );
    assert_eq!(loss.worst_window(), None);
    // ... and the scenario-wide function leaves such segments out.
    let scenario = Scenario::builder("s").segment(segment).build().unwrap();
    assert!(loss_by_arrival(&scenario).unwrap().is_empty());
}

#[test]
fn a_segment_without_a_calendar_is_a_clear_error() {
    let plain = consumer(DelayDistribution::fixed(h(1.0)).unwrap(), None);
    let error = loss_by_arrival_hour(&plain).unwrap_err();
    assert_eq!(error.field(), Some("calendar"), "{error}");
}

fn dated(calendar: Calendar, delay: DelayDistribution) -> lead_decay::exact::arrival_loss::ArrivalLoss {
    let hours = BusinessHours::new(calendar, Arrivals::Always, DelayClock::Working, DelayClock::Calendar).unwrap();
    let segment = consumer(delay, Some(hours));
    let loss = loss_by_arrival_hour(&segment).unwrap();
    let expected = Expected::of_segment(&segment).revenue_lost;
    assert!(
        (loss.revenue_lost - expected).abs() <= 1e-9 * expected,
        "{} vs {expected}",
        loss.revenue_lost
    );
    let shares: f64 = loss.hours.iter().map(|h| h.share_of_sqls).sum();
    assert!((shares - 1.0).abs() < 1e-12, "{shares}");
    loss
}

#[test]
fn a_dated_calendar_folds_its_dates_onto_the_hours_of_the_week() {
    use jiff::civil::date;
    // Four plain weeks from Monday 1 December 2025, UTC: the same hours as
    // the repeating week.
    let weeks = Calendar::office()
        .with_dates(date(2025, 12, 1), date(2025, 12, 28))
        .unwrap();
    let delay = DelayDistribution::fixed(h(1.0)).unwrap();
    let folded = dated(weeks, delay.clone());
    let repeating = loss_by_arrival_hour(&consumer(delay.clone(), Some(office(Arrivals::Always)))).unwrap();
    for (a, b) in folded.hours.iter().zip(&repeating.hours) {
        assert!((a.share_of_sqls - b.share_of_sqls).abs() < 1e-12);
        assert!(
            (a.revenue_lost - b.revenue_lost).abs() <= 1e-9 * b.revenue_ideal,
            "{a:?} vs {b:?}"
        );
    }
    // Christmas in Berlin: Wednesday to Friday off. Wednesday's SQLs lose
    // more than in a plain December, Monday's no less.
    let berlin = |holidays: &[jiff::civil::Date]| {
        Calendar::office()
            .with_time_zone("Europe/Berlin")
            .unwrap()
            .with_holidays(holidays)
            .with_dates(date(2025, 12, 1), date(2025, 12, 31))
            .unwrap()
    };
    let christmas = dated(
        berlin(&[date(2025, 12, 24), date(2025, 12, 25), date(2025, 12, 26)]),
        delay.clone(),
    );
    let plain = dated(berlin(&[]), delay.clone());
    let lost_on = |loss: &lead_decay::exact::arrival_loss::ArrivalLoss, day: usize| -> f64 {
        loss.hours[24 * day..24 * day + 24].iter().map(|h| h.revenue_lost).sum()
    };
    assert!(lost_on(&christmas, 2) > 1.1 * lost_on(&plain, 2));
    assert!(lost_on(&christmas, 0) >= lost_on(&plain, 0));
    // Berlin's switch to summer time on Sunday 30 March 2025: that night has
    // no 02:00-03:00, so fewer SQLs arrive in Sunday's 02:00 hour.
    let march = Calendar::office()
        .with_time_zone("Europe/Berlin")
        .unwrap()
        .with_dates(date(2025, 3, 24), date(2025, 4, 6))
        .unwrap();
    let spring = dated(march, DelayDistribution::exponential(h(2.0)).unwrap());
    let (two, three) = (&spring.hours[6 * 24 + 2], &spring.hours[6 * 24 + 3]);
    assert!(
        (two.share_of_sqls * 2.0 - three.share_of_sqls).abs() < 1e-12,
        "{two:?} {three:?}"
    );
}

#[test]
fn team_hours_what_ifs_move_every_segment_on_business_hours() {
    use lead_decay::calendar::Week;
    use lead_decay::whatif::hours::with_team_week;
    let segment = consumer(
        DelayDistribution::exponential(h(2.0)).unwrap(),
        Some(office(Arrivals::Always)),
    );
    let plain = consumer(DelayDistribution::exponential(h(2.0)).unwrap(), None).with_business_hours(None);
    let scenario = Scenario::builder("s")
        .segment(segment)
        .segment(
            Segment::builder("b2b")
                .sqls(10)
                .close_rate(0.2)
                .deal_value(DealValue::fixed(1.0).unwrap())
                .decay(DecayCurve::b2b_industrial())
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let lost = |s: &Scenario| Expected::of(s).revenue_lost;
    // Round the clock: exactly the calendar-time result.
    let always = with_team_week(&scenario, &Week::round_the_clock()).unwrap();
    assert_eq!(
        Expected::of_segment(&always.segments()[0]),
        Expected::of_segment(&plain)
    );
    assert_eq!(always.segments()[1], scenario.segments()[1]);
    // An evening shift and a Saturday shift both save revenue.
    let weekdays = |shift: (f64, f64)| {
        (0..5)
            .try_fold(Week::office(), |w, d| w.with_day(d, &[(h(shift.0), h(shift.1))]))
            .unwrap()
    };
    let evenings = with_team_week(&scenario, &weekdays((9.0, 21.0))).unwrap();
    let saturday = with_team_week(&scenario, &Week::office().with_day(5, &[(h(10.0), h(14.0))]).unwrap()).unwrap();
    assert!(lost(&evenings) < lost(&scenario) && lost(&saturday) < lost(&scenario));
    assert!(lost(&always) < lost(&evenings));
    // Hours moved, not added: the week still has 40 working hours.
    let later = with_team_week(&scenario, &weekdays((11.0, 19.0))).unwrap();
    assert_eq!(
        later.segments()[0].business_hours().unwrap().calendar().weekly_hours(),
        40.0
    );
    // Moving the same 40 hours does not matter to SQLs that arrive evenly
    // round the clock (the week only shifts), but two hours later pays when
    // half the SQLs arrive between 17:00 and 19:00 on weekdays.
    assert!((lost(&later) - lost(&scenario)).abs() < 1e-9 * lost(&scenario));
    let mut evening_peak = vec![1.0; 168];
    for day in 0..5 {
        for hour in [17, 18] {
            evening_peak[24 * day + hour] = 158.0 / 10.0;
        }
    }
    let peaked = scenario
        .map_segments(|s| {
            Ok(match s.business_hours() {
                Some(_) => s
                    .clone()
                    .with_business_hours(Some(office(Arrivals::HourOfWeek(evening_peak.clone())))),
                None => s.clone(),
            })
        })
        .unwrap();
    let peaked_later = with_team_week(&peaked, &weekdays((11.0, 19.0))).unwrap();
    assert!(
        lost(&peaked_later) < 0.9 * lost(&peaked),
        "{} vs {}",
        lost(&peaked_later),
        lost(&peaked)
    );
    // A week without hours names the field.
    let error = with_team_week(&scenario, &Week::closed()).unwrap_err();
    assert_eq!(error.field(), Some("segments[0].calendar.working_hours"), "{error}");
}
