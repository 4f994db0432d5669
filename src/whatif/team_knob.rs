//! The team knob: `reps` through the capacity model.

use crate::capacity::{CapacityModel, MAX_REPS};
use crate::error::{Error, Result};
use crate::model::knob::Knob;

impl Knob {
    /// `model` with this knob set to `value`: only `reps` turns the team.
    ///
    /// # Errors
    ///
    /// A knob of the segments (field `knob`), or a number of reps that is
    /// not a whole number from 1 to [`MAX_REPS`] (field `reps`).
    pub fn apply_to_team(self, model: &CapacityModel, value: f64) -> Result<CapacityModel> {
        if !self.is_team() {
            return Err(Error::invalid(
                "knob",
                self.name(),
                "the team knob `reps` (the others change the segments: Knob::apply)",
            ));
        }
        if !(value >= 1.0 && value <= f64::from(MAX_REPS) && value.fract() == 0.0) {
            return Err(Error::invalid("reps", value, "a whole number of reps >= 1"));
        }
        let team = model.team().clone().with_reps(value as u32)?;
        Ok(model.clone().with_team(team))
    }
}
