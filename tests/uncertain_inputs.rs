//! Uncertain inputs in scenario files: distributions in a segment's keys,
//! named inputs shared by segments, joint inputs; what they read as, how
//! they are written back, and the errors that name the field.

use lead_decay::model::uncertainty::{
    Alternative, InputDistribution, JointInput, JointLaw, Scale, UncertainInput, Uncertainty,
};
use lead_decay::whatif::Knob;
use lead_decay::{Analysis, DecayCurve, Expected, Hours, Scenario};

/// The three examples of the issue, in one segment.
const GUESSES: &str = r#"
name = "guesses"
customer_goal = 10

[[segments]]
name = "industrial"
sqls = 40
close_rate = { dist = "beta", mean = 0.25, sd = 0.04 }
deal_value = 100000
decay = { shape = "linear", shelf_life = { dist = "uniform", min = "20d", max = "40d" } }
follow_up = { dist = "exponential", mean = { dist = "pert", min = "4h", mode = "2d", max = "6d" } }
neglected = 5
"#;

fn h(x: f64) -> Hours {
    Hours::new(x).unwrap()
}

fn error(text: &str) -> String {
    Scenario::from_toml_str(text).unwrap_err().to_string()
}

#[test]
fn the_issues_three_examples_read_as_inputs_whose_medians_are_the_base() {
    let scenario = Scenario::from_toml_str(GUESSES).unwrap();
    let inputs = scenario.uncertainty().inputs();
    let read: Vec<(Knob, InputDistribution, &[String])> =
        inputs.iter().map(|i| (i.knob, i.distribution, i.segments())).collect();
    let industrial = ["industrial".to_string()];
    assert_eq!(
        read,
        [
            (
                Knob::CloseRate,
                InputDistribution::beta_mean_sd(0.25, 0.04).unwrap(),
                &industrial[..]
            ),
            (
                Knob::ShelfLife,
                InputDistribution::uniform(480.0, 960.0).unwrap(),
                &industrial[..]
            ),
            (
                Knob::FollowUpMean,
                InputDistribution::pert(4.0, 48.0, 144.0).unwrap(),
                &industrial[..]
            ),
        ]
    );
    let segment = &scenario.segments()[0];
    assert_eq!(segment.close_rate(), inputs[0].distribution.median());
    assert_eq!(segment.decay(), &DecayCurve::linear(h(720.0)).unwrap());
    assert_eq!(
        segment.follow_up().delay().mean().get(),
        inputs[2].distribution.median()
    );
    // Each trial sets the three; the base scenario is what Expected sees.
    let trial = scenario.realise(&[0.5, 1.0, 0.0]).unwrap();
    assert!(trial.uncertainty().is_empty());
    assert!(Expected::of(&trial).customers > Expected::of(&scenario.without_uncertainty()).customers);
    assert_eq!(scenario.uncertainty().factors().len(), 3);
}

#[test]
fn every_scalar_of_a_segment_may_be_uncertain_and_whole_numbers_take_discrete_laws() {
    let text = r#"
        name = "all"
        [[segments]]
        name = "web"
        sqls = { dist = "poisson", mean = 400 }
        close_rate = { dist = "triangular", min = 0.05, mode = 0.1, max = 0.2 }
        deal_value = { dist = "gamma", mean = { dist = "normal", mean = 5000, sd = 300 }, cv = { dist = "uniform", min = 0.3, max = 0.6 } }
        decay = { shape = "weibull", scale = { dist = "lognormal", median = "2d", sigma = 0.3 }, k = { dist = "gamma", mean = 0.8, sd = 0.1 } }
        neglected = { dist = "binomial", n = 20, p = 0.25, base = 4 }
        follow_up = { dist = "lognormal", median = { dist = "uniform", min = "1h", max = "8h" }, sigma = { dist = "beta", alpha = 12, beta = 8 } }
        sla = { dist = "uniform-int", min = 2, max = 24 }

        [[segments]]
        name = "events"
        sqls = 50
        close_rate = 0.2
        deal_value = { dist = "fixed", value = { dist = "pert", min = 10000, mode = 15000, max = 30000 } }
        decay = { shape = "schedule", rate = { dist = "uniform", min = 0.3, max = 0.6 }, period = "30d" }
        never_followed_up = { dist = "beta", mean = 0.1, sd = 0.05 }
        follow_up = { dist = "uniform", min = { dist = "uniform", min = "1h", max = "2h" }, max = { dist = "uniform", min = "1d", max = "2d" } }
    "#;
    let scenario = Scenario::from_toml_str(text).unwrap();
    let knobs: Vec<Knob> = scenario.uncertainty().inputs().iter().map(|i| i.knob).collect();
    assert_eq!(
        knobs,
        [
            Knob::Sqls,
            Knob::CloseRate,
            Knob::DealValue,
            Knob::DealValueCv,
            Knob::ShelfLife,
            Knob::WeibullShape,
            Knob::Neglected,
            Knob::FollowUpMedian,
            Knob::FollowUpSigma,
            Knob::Sla,
            Knob::DealValue,
            Knob::ScheduleRate,
            Knob::NeverFollowedUp,
            Knob::FollowUpMin,
            Knob::FollowUpMax,
        ]
    );
    let web = &scenario.segments()[0];
    assert_eq!(web.sqls(), 400);
    assert_eq!(web.follow_up().neglect(), lead_decay::Neglect::Count(4));
    assert_eq!(web.follow_up().sla(), Some(h(13.0)));
    let trial = scenario
        .realise(&vec![0.9; scenario.uncertainty().dimension()])
        .unwrap();
    assert!(trial.segments()[0].sqls() > 400);
    // Round trips, TOML and JSON.
    assert_eq!(Scenario::from_toml_str(&scenario.to_toml_string()).unwrap(), scenario);
    assert_eq!(Scenario::from_json_str(&scenario.to_json_string()).unwrap(), scenario);
}

#[test]
fn a_named_input_is_one_draw_shared_by_the_segments_that_refer_to_it() {
    let text = r#"
        name = "market"

        [[inputs]]
        name = "market shelf life"
        knob = "shelf-life"
        dist = "triangular"
        min = "2w"
        mode = "3w"
        max = "8w"

        [[segments]]
        name = "north"
        sqls = 40
        close_rate = 0.25
        deal_value = 100000
        decay = { shape = "linear", shelf_life = { input = "market shelf life" } }

        [[segments]]
        name = "south"
        sqls = 30
        close_rate = 0.2
        deal_value = 80000
        decay = { shape = "exponential", half_life = { input = "market shelf life", base = "10d" } }
    "#;
    let scenario = Scenario::from_toml_str(text).unwrap();
    let inputs = scenario.uncertainty().inputs();
    assert_eq!(inputs.len(), 1);
    assert_eq!(inputs[0].segments(), ["north", "south"]);
    assert_eq!(inputs[0].name(), "market shelf life");
    let median = InputDistribution::triangular(336.0, 504.0, 1344.0).unwrap().median();
    assert_eq!(scenario.segments()[0].decay().time_scale().get(), median);
    assert_eq!(scenario.segments()[1].decay().time_scale().get(), 240.0);
    for u in [0.0, 0.3, 1.0] {
        let trial = scenario.realise(&[u]).unwrap();
        let (north, south) = (&trial.segments()[0], &trial.segments()[1]);
        assert_eq!(north.decay().time_scale(), south.decay().time_scale());
        assert_eq!(north.decay().time_scale().get(), inputs[0].distribution.quantile(u));
    }
    // A named input that no segment refers to sets its knob in the segments
    // it lists, or in every segment.
    let every = text
        .replace("{ input = \"market shelf life\" }", "\"3w\"")
        .replace("{ input = \"market shelf life\", base = \"10d\" }", "\"10d\"");
    let scenario = Scenario::from_toml_str(&every).unwrap();
    assert!(scenario.uncertainty().inputs()[0].segments().is_empty());
    let trial = scenario.realise(&[1.0]).unwrap();
    let highest = scenario.uncertainty().inputs()[0].distribution.quantile(1.0);
    assert_eq!(trial.segments()[0].decay().time_scale().get(), highest);
    assert_eq!(trial.segments()[1].decay().time_scale().get(), highest);
    let listed = every.replace("max = \"8w\"", "max = \"8w\"\nsegments = [\"south\"]");
    let scenario = Scenario::from_toml_str(&listed).unwrap();
    assert_eq!(scenario.uncertainty().inputs()[0].segments(), ["south"]);
    assert_eq!(Scenario::from_toml_str(&scenario.to_toml_string()).unwrap(), scenario);
    assert_eq!(Scenario::from_json_str(&scenario.to_json_string()).unwrap(), scenario);
}

const JOINT: &str = r#"
name = "fitted"

[[segments]]
name = "web"
sqls = 2000
close_rate = 0.25
deal_value = 5000
decay = { shape = "weibull", scale = "20d", k = 0.8 }
never_followed_up = 0.2
follow_up = { dist = "lognormal", median = "5h", sigma = 1.2 }

[[joint]]
name = "fit"
segments = ["web"]
dist = "normal"
knobs = ["close-rate", "never-followed-up", "follow-up-median", "follow-up-sigma"]
scales = ["logit", "logit", "log", "log"]
mean = [-1.0986, -1.3863, 1.6094, 0.1823]
covariance = [
  [0.0025, 0.0005, 0.0, 0.0],
  [0.0005, 0.0030, 0.0, 0.0],
  [0.0, 0.0, 0.0100, 0.0020],
  [0.0, 0.0, 0.0020, 0.0040],
]

[[joint]]
name = "decay shape"
segments = ["web"]
dist = "alternatives"

[[joint.alternatives]]
weight = 0.55
decay = { shape = "weibull", scale = "20d", k = 0.8 }

[[joint.alternatives]]
weight = 0.3
decay = { shape = "linear", shelf_life = "45d" }

[[joint.alternatives]]
weight = 0.15
decay = "b2b-industrial"
set = { sla = "1d" }
"#;

#[test]
fn joint_inputs_read_from_toml_and_json_and_round_trip() {
    let scenario = Scenario::from_toml_str(JOINT).unwrap();
    let joints = scenario.uncertainty().joints();
    assert_eq!(joints.len(), 2);
    assert_eq!(scenario.uncertainty().dimension(), 5);
    let factors: Vec<String> = scenario.uncertainty().factors().into_iter().map(|f| f.name).collect();
    assert_eq!(factors, ["fit", "decay shape"]);
    let JointLaw::Normal(normal) = joints[0].law() else {
        panic!("a normal")
    };
    assert_eq!(normal.knobs()[2], (Knob::FollowUpMedian, Scale::Log));
    let centre = scenario.realise(&[0.5, 0.5, 0.5, 0.5, 0.2]).unwrap();
    let web = &centre.segments()[0];
    assert!((web.close_rate() - 0.25).abs() < 1e-4);
    assert_eq!(web.decay(), &DecayCurve::weibull(h(480.0), 0.8).unwrap());
    let linear = scenario.realise(&[0.5, 0.5, 0.5, 0.5, 0.6]).unwrap();
    assert_eq!(linear.segments()[0].decay(), &DecayCurve::linear(h(1080.0)).unwrap());
    let preset = scenario.realise(&[0.5, 0.5, 0.5, 0.5, 0.99]).unwrap();
    assert_eq!(preset.segments()[0].decay(), &DecayCurve::b2b_industrial());
    assert_eq!(preset.segments()[0].follow_up().sla(), Some(h(24.0)));
    // TOML and JSON round trips.
    let toml_text = scenario.to_toml_string();
    assert!(toml_text.contains("[[joint]]"), "{toml_text}");
    assert_eq!(Scenario::from_toml_str(&toml_text).unwrap(), scenario);
    let json = scenario.to_json_string();
    assert_eq!(Scenario::from_json_str(&json).unwrap(), scenario);
    // The same file written in JSON by hand reads the same.
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(value["joint"][1]["alternatives"][2]["set"]["sla"] == "1d", "{json}");
    assert_eq!(serde_json::from_str::<Scenario>(&json).unwrap(), scenario);
}

#[test]
fn scenarios_built_in_code_are_written_back_exactly() {
    let reference = Scenario::reference();
    let segment = reference.segments()[0].clone();
    let other = segment.clone();
    let other = lead_decay::Segment::builder("other")
        .sqls(other.sqls())
        .close_rate(0.3)
        .deal_value(other.deal_value().clone())
        .decay(DecayCurve::inbound_web())
        .build()
        .unwrap();
    // In an order no file with inline values could say (the second before
    // the first in the segment), with a base value that is not the median,
    // an input of every segment, one on a table decay, and joint inputs.
    let uncertainty = Uncertainty::new()
        .with_input(
            UncertainInput::new(Knob::FollowUpMean, InputDistribution::gamma(24.0, 12.0).unwrap())
                .in_segment("industrial"),
        )
        .with_input(
            UncertainInput::new(Knob::CloseRate, InputDistribution::beta(5.0, 15.0).unwrap()).in_segment("industrial"),
        )
        .with_input(UncertainInput::new(
            Knob::DealValue,
            InputDistribution::uniform(8e4, 1.2e5).unwrap(),
        ))
        .with_input(
            UncertainInput::new(Knob::ShelfLife, InputDistribution::uniform(600.0, 800.0).unwrap()).in_segment("other"),
        )
        .with_joint(
            JointInput::alternatives(vec![
                Alternative::new(2.0).unwrap().with_value(Knob::Sla, 4.0),
                Alternative::new(1.0).unwrap().with_value(Knob::Sla, 48.0),
            ])
            .unwrap(),
        );
    let scenario = Scenario::builder("code")
        .customer_goal(10)
        .segment(segment)
        .segment(other)
        .uncertainty(uncertainty)
        .build()
        .unwrap();
    let toml_text = scenario.to_toml_string();
    assert_eq!(Scenario::from_toml_str(&toml_text).unwrap(), scenario, "{toml_text}");
    assert_eq!(Scenario::from_json_str(&scenario.to_json_string()).unwrap(), scenario);
    // In a natural order, inputs sit in their segment's keys, with `base`
    // where the segment's number is not the median.
    let natural = Scenario::builder("natural")
        .segment(reference.segments()[0].clone())
        .uncertainty(Uncertainty::new().with_input(
            UncertainInput::new(Knob::CloseRate, InputDistribution::beta(5.0, 15.0).unwrap()).in_segment("industrial"),
        ))
        .build()
        .unwrap();
    let toml_text = natural.to_toml_string();
    assert!(
        !toml_text.contains("[[inputs]]") && toml_text.contains("base = 0.25"),
        "{toml_text}"
    );
    assert_eq!(Scenario::from_toml_str(&toml_text).unwrap(), natural);
    let analysis = Analysis::new(natural.clone());
    assert_eq!(Analysis::from_json_str(&analysis.to_json_string()).unwrap(), analysis);
}

#[test]
fn a_scenario_of_numbers_is_written_as_before() {
    let reference = Scenario::reference();
    let text = reference.to_toml_string();
    assert!(
        !text.contains("inputs") && !text.contains("joint") && !text.contains("dist ="),
        "{text}"
    );
    assert_eq!(
        text,
        "name = \"reference\"\ncustomer_goal = 10\n\n[[segments]]\nname = \"industrial\"\nsqls = 40\nclose_rate = 0.25\ndeal_value = 100000.0\ndecay = \"b2b-industrial\"\nneglected = 5\n"
    );
}

/// GUESSES with `from` replaced by `to`.
fn guesses(from: &str, to: &str) -> String {
    assert!(GUESSES.contains(from), "{from}");
    GUESSES.replace(from, to)
}

#[test]
fn bad_uncertain_values_are_errors_naming_the_field() {
    let cases = [
        // min > max
        (
            guesses("min = \"20d\", max = \"40d\"", "min = \"40d\", max = \"20d\""),
            "segments[0].decay.shelf_life.min: expected a minimum <= the maximum",
        ),
        // a beta whose mean and sd no beta has
        (
            guesses("sd = 0.04", "sd = 0.5"),
            "segments[0].close_rate.sd: expected a standard deviation > 0 and < sqrt(mean (1 - mean))",
        ),
        // a normal that can leave the valid range
        (
            guesses(
                "{ dist = \"uniform\", min = \"20d\", max = \"40d\" }",
                "{ dist = \"normal\", mean = \"30d\", sd = \"5d\" }",
            ),
            "segments[0].decay.shelf_life: expected a distribution whose every draw is a valid shelf-life: its lowest draw, -265.1",
        ),
        // an unknown input name
        (
            guesses(
                "{ dist = \"uniform\", min = \"20d\", max = \"40d\" }",
                "{ input = \"market\" }",
            ),
            "segments[0].decay.shelf_life.input: expected the name of an input of [[inputs]] (the file names none), got \"market\"",
        ),
        // an unknown distribution
        (
            guesses("dist = \"beta\"", "dist = \"cauchy\""),
            "segments[0].close_rate.dist: expected a distribution of an uncertain input",
        ),
        // a continuous distribution for a whole number
        (
            guesses("sqls = 40", "sqls = { dist = \"normal\", mean = 40, sd = 3 }"),
            "segments[0].sqls.dist: expected a discrete distribution",
        ),
        // a parameter of another family
        (
            guesses("sd = 0.04", "sd = 0.04, mode = 0.2"),
            "segments[0].close_rate.mode: not a parameter of dist = \"beta\"",
        ),
        // a duration where a plain number is required
        (
            guesses("mean = 0.25", "mean = \"2d\""),
            "segments[0].close_rate.mean: expected a number",
        ),
        // an uncertain value where a number is required
        (
            guesses(
                "customer_goal = 10",
                "marketing_spend = { dist = \"uniform\", min = 1, max = 2 }",
            ),
            "marketing_spend: an uncertain value { dist = ... } is allowed only for a segment's inputs",
        ),
        // an uncertain fixed deal value needs the fixed table
        (
            guesses(
                "deal_value = 100000",
                "deal_value = { dist = \"pert\", min = 1, mode = 2, max = 3 }",
            ),
            "segments[0].deal_value.dist: expected a deal-value family",
        ),
    ];
    for (text, start) in cases {
        let e = error(&text);
        assert!(e.starts_with(start), "expected {start:?}, got {e:?}");
    }
}

#[test]
fn sales_and_recycling_inputs_cannot_be_uncertain() {
    let sales = |line: &str| {
        format!(
            "{GUESSES}\n[sales]\nreps = 2\nhorizon = \"4w\"\nhandling = {{ dist = \"exponential\", mean = \"1h\" }}\n{line}\n"
        )
    };
    let e =
        Analysis::from_toml_str(&sales("").replace("reps = 2", "reps = { dist = \"uniform-int\", min = 1, max = 3 }"))
            .unwrap_err()
            .to_string();
    assert!(
        e.starts_with("sales.reps: uncertain [sales] inputs are not supported"),
        "{e}"
    );
    let e = Analysis::from_toml_str(&sales("").replace(
        "mean = \"1h\" }",
        "mean = { dist = \"uniform\", min = \"1h\", max = \"2h\" } }",
    ))
    .unwrap_err()
    .to_string();
    assert!(
        e.starts_with("sales.handling.mean: expected a number: uncertain [sales] inputs are not supported"),
        "{e}"
    );
    let e = Analysis::from_toml_str(&sales("sla = { dist = \"uniform\", min = \"1h\", max = \"2h\" }"))
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("sales.sla: uncertain [sales] inputs are not supported"),
        "{e}"
    );
    let recycling = format!(
        "{GUESSES}\n[recycling]\nrevert_probability = 0.5\nclose_rate = 0.1\nreturn_delay = {{ dist = \"fixed\", delay = {{ dist = \"uniform\", min = \"1w\", max = \"2w\" }} }}\n"
    );
    let e = Analysis::from_toml_str(&recycling).unwrap_err().to_string();
    assert!(
        e.contains("recycling.return_delay.delay") && e.contains("uncertain [recycling] inputs"),
        "{e}"
    );
}

#[test]
fn named_and_joint_inputs_are_checked_with_their_file_paths() {
    let named = |entry: &str, key: &str| {
        format!(
            "name = \"x\"\n\n[[inputs]]\n{entry}\n\n[[segments]]\nname = \"a\"\nsqls = 40\nclose_rate = 0.25\ndeal_value = 1000\ndecay = {{ shape = \"linear\", shelf_life = {key} }}\n"
        )
    };
    // A reference to an input of another knob.
    let e = error(&named(
        "name = \"rate\"\nknob = \"close-rate\"\ndist = \"uniform\"\nmin = 0.1\nmax = 0.2",
        "{ input = \"rate\" }",
    ));
    assert!(
        e.starts_with("segments[0].decay.shelf_life.input: expected an input of shelf-life"),
        "{e}"
    );
    // A named input whose draws a segment refuses: the path is the entry's.
    let e = error(&named(
        "name = \"life\"\nknob = \"shelf-life\"\ndist = \"normal\"\nmean = \"30d\"\nsd = \"10d\"",
        "{ input = \"life\" }",
    ));
    assert!(
        e.starts_with("inputs[0]: expected a distribution whose every draw"),
        "{e}"
    );
    // Without a knob, with a reference's keys, with both segments and references.
    let e = error(&named(
        "name = \"life\"\ndist = \"uniform\"\nmin = 1\nmax = 2",
        "\"30d\"",
    ));
    assert!(e.starts_with("inputs[0].knob: missing"), "{e}");
    let e = error(&named(
        "name = \"life\"\nknob = \"shelf-life\"\ninput = \"x\"\ndist = \"uniform\"\nmin = 1\nmax = 2",
        "\"30d\"",
    ));
    assert!(
        e.starts_with("inputs[0].input: not a key of an entry of [[inputs]]"),
        "{e}"
    );
    let e = error(&named(
        "name = \"life\"\nknob = \"shelf-life\"\nsegments = [\"a\"]\ndist = \"uniform\"\nmin = 1\nmax = 2",
        "{ input = \"life\" }",
    ));
    assert!(
        e.starts_with("inputs[0].segments: expected either `segments` or references"),
        "{e}"
    );
    // A named input and an inline value setting the same number.
    let e = error(&named(
        "knob = \"shelf-life\"\ndist = \"uniform\"\nmin = \"10d\"\nmax = \"20d\"",
        "{ dist = \"uniform\", min = \"20d\", max = \"30d\" }",
    ));
    assert!(
        e.starts_with("segments[0].decay.shelf_life: expected an input that sets nothing another sets in segment \"a\": inputs[0] already sets shelf-life"),
        "{e}"
    );
    // A joint normal reaching a close rate above 1.
    let joint = format!(
        "{}\n[[joint]]\ndist = \"normal\"\nknobs = [\"close-rate\"]\nmean = [0.5]\ncovariance = [[0.01]]\n",
        named("knob = \"sla\"\ndist = \"uniform\"\nmin = 1\nmax = 2", "\"30d\"")
    );
    let e = error(&joint);
    assert!(
        e.starts_with("joint[0]: expected a distribution whose every draw is a valid close-rate"),
        "{e}"
    );
    let e = error(&joint.replace("covariance = [[0.01]]", "covariance = [[-0.01]]"));
    assert!(e.starts_with("joint[0].covariance[0][0]:"), "{e}");
    let e = error(&joint.replace("dist = \"normal\"\n", "dist = \"copula\"\n"));
    assert!(e.starts_with("joint[0].dist:"), "{e}");
    let e = error(&joint.replace("knobs = [\"close-rate\"]", "knobs = [\"speed\"]"));
    assert!(e.starts_with("joint[0].knobs[0]:"), "{e}");
    let alternatives = format!(
        "{}\n[[joint]]\ndist = \"alternatives\"\n[[joint.alternatives]]\nweight = 1\nset = {{ close-rate = 1.5 }}\n",
        named("knob = \"sla\"\ndist = \"uniform\"\nmin = 1\nmax = 2", "\"30d\"")
    );
    let e = error(&alternatives);
    assert!(
        e.starts_with("joint[0].alternatives[0]: expected an alternative every segment it sets accepts"),
        "{e}"
    );
    let e = error(&alternatives.replace("close-rate = 1.5", "close-rate = { dist = \"uniform\" }"));
    assert!(e.starts_with("joint[0].alternatives[0].set.close-rate"), "{e}");
}
