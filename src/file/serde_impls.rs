//! serde for [`Scenario`], [`Segment`] and [`Analysis`] through the one
//! file schema: serialising writes what a scenario file holds, and
//! deserialising reads and validates it as [`Scenario::from_toml_str`] does.
//! There is no second representation to drift from the file format.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Analysis;
use super::document::ScenarioSpec;
use super::segment::SegmentSpec;
use super::uncertain::Context;
use crate::model::scenario::Scenario;
use crate::model::segment::Segment;

/// Writes the scenario-file schema ([`crate::guide::file_format`]).
impl Serialize for Scenario {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        ScenarioSpec::from_scenario(self).serialize(serializer)
    }
}

/// Reads the scenario-file schema and validates it; an invalid value is an
/// error whose message names the field path. `[plan]`, `[sales]` and
/// `[recycling]` are validated and dropped, as by [`Scenario::from_toml_str`].
impl<'de> Deserialize<'de> for Scenario {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spec = ScenarioSpec::deserialize(deserializer)?;
        spec.into_analysis()
            .map(Analysis::into_scenario)
            .map_err(D::Error::custom)
    }
}

/// Writes the whole file: the scenario and its feature sections.
impl Serialize for Analysis {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        ScenarioSpec::from_analysis(self).serialize(serializer)
    }
}

/// Reads and validates the whole file.
impl<'de> Deserialize<'de> for Analysis {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        ScenarioSpec::deserialize(deserializer)?
            .into_analysis()
            .map_err(D::Error::custom)
    }
}

/// Writes one `[[segments]]` entry of the file schema.
impl Serialize for Segment {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        SegmentSpec::from_segment(self, None).serialize(serializer)
    }
}

/// Reads and validates one `[[segments]]` entry.
impl<'de> Deserialize<'de> for Segment {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        SegmentSpec::deserialize(deserializer)?
            .into_segment(
                &mut Context::plain("a number: a segment read alone has no uncertain inputs (read the whole scenario)"),
                None,
            )
            .map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn consumer_toml() -> &'static str {
        r#"
        name = "two segments"
        currency = "EUR"
        marketing_spend = 50000
        customer_goal = 12

        [[segments]]
        name = "inbound"
        sqls = 30
        close_rate = 0.3
        deal_value = { dist = "lognormal", mean = 20000, cv = 0.5 }
        decay = "consumer"
        never_followed_up = 0.1
        follow_up = { dist = "exponential", mean = "6h" }
        sla = "1h"

        [[segments]]
        name = "events"
        sqls = 20
        close_rate = 0.2
        deal_value = 15000
        decay = "b2b-industrial"
        "#
    }

    #[test]
    fn a_scenario_round_trips_through_json_and_toml_as_the_file_schema() {
        let scenario = Scenario::from_toml_str(consumer_toml()).unwrap();
        let json = serde_json::to_string(&scenario).unwrap();
        assert_eq!(serde_json::from_str::<Scenario>(&json).unwrap(), scenario);
        assert_eq!(Scenario::from_json_str(&json).unwrap(), scenario);
        assert_eq!(Scenario::from_json_str(&scenario.to_json_string()).unwrap(), scenario);
        let toml_text = toml::to_string(&scenario).unwrap();
        assert_eq!(toml_text, scenario.to_toml_string());
        assert_eq!(toml::from_str::<Scenario>(&toml_text).unwrap(), scenario);
    }

    #[test]
    fn a_segment_round_trips_through_json() {
        let scenario = Scenario::from_toml_str(consumer_toml()).unwrap();
        for segment in scenario.segments() {
            let json = serde_json::to_string(segment).unwrap();
            assert_eq!(&serde_json::from_str::<Segment>(&json).unwrap(), segment);
        }
    }

    #[test]
    fn an_analysis_round_trips_through_json_with_its_sections() {
        let text = format!(
            "{}\n[sales]\nreps = 2\nhorizon = \"4w\"\nhandling = {{ dist = \"exponential\", mean = \"2h\" }}\n",
            consumer_toml()
        );
        let analysis = Analysis::from_toml_str(&text).unwrap();
        assert_eq!(Analysis::from_json_str(&analysis.to_json_string()).unwrap(), analysis);
        let json = serde_json::to_string(&analysis).unwrap();
        assert_eq!(serde_json::from_str::<Analysis>(&json).unwrap(), analysis);
    }

    #[test]
    fn deserialising_an_invalid_scenario_names_the_field() {
        let scenario = Scenario::from_toml_str(consumer_toml()).unwrap();
        let json = serde_json::to_string(&scenario).unwrap().replace("0.3", "1.5");
        let err = serde_json::from_str::<Scenario>(&json).unwrap_err().to_string();
        assert!(err.contains("segments[0].close_rate"), "{err}");
    }
}
