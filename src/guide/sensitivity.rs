//! What drives the loss: reading a tornado chart and Sobol indices; and
//! what one hour of speed is worth.
//!
//! When some inputs of a scenario are guesses (the close rate "about 25 %",
//! the shelf life "somewhere between 20 and 40 days"), the expected loss is
//! itself uncertain: it depends on where the guesses land. The question a
//! sales director asks next is *which guess matters*: which number is worth
//! measuring better, and which can stay rough. [`crate::sensitivity`]
//! answers it twice, and the `sensitivity` example prints both:
//!
//! ```text
//! cargo run --release --example sensitivity -- --scenario examples/scenarios/b2b-industrial.toml \
//!     --uncertain close-rate=0.18..0.32 --uncertain shelf-life=20d..40d \
//!     --uncertain follow-up-mean=4h..6d --uncertain deal-value=60000..140000 --chart tornado.png
//! ```
//!
//! # What is being explained
//!
//! Both analyses explain the **exact expected metric given the inputs**,
//! `E[metric | inputs]`: for each value of the uncertain inputs, the
//! expectation over the SQLs' luck ([`crate::Expected`], closed forms and
//! quadrature). The luck of the draw (which SQLs close, which deal is big)
//! is averaged out first, so it never shows up as a "driver"; what is left
//! is what we do not know about the business.
//!
//! # The tornado
//!
//! Each uncertain input is moved **alone** from its 10th to its 90th
//! percentile while every other input stays at its median. Each bar spans
//! the expected metric at the two ends; the vertical line is the expected
//! metric with every input at its median. The bars are sorted by their
//! **swing**, the distance between the two ends, widest on top.
//!
//! * The colour tells the direction: the blue part is the input at its low
//!   end, the orange part at its high end. A longer shelf life loses
//!   *less*, so its orange part lies left of the line.
//! * The range in the label (`close rate: 19.4 % → 30.6 %`) is the input's
//!   own 10th to 90th percentile: a wide bar may come from a sensitive
//!   metric or from a wide guess. Narrowing the guess (measuring the close
//!   rate on more deals) narrows the bar.
//! * It is a one-at-a-time picture. If two inputs act together (a long delay
//!   only hurts when the shelf life is short), the tornado cannot show it,
//!   and the sum of the swings means nothing. A group of inputs drawn
//!   jointly counts as one factor: all its members move together to the
//!   same percentile of their own distributions.
//!
//! # Sobol indices
//!
//! The Sobol indices split the **variance** of `E[metric | inputs]` over
//! the whole range of the inputs, not just two points per input:
//!
//! * the **first-order index** `S_i` ("alone") is the share of the variance
//!   that would disappear if input `i` were known exactly: `Var(E[Y | X_i]) /
//!   Var(Y)`. It is the expected payoff of measuring that input.
//! * the **total index** `ST_i` ("with interactions") is the share that input
//!   `i` takes part in, alone or together with others: `E[Var(Y | X_~i)] /
//!   Var(Y)`. An input whose total index is near 0 can be fixed at any
//!   plausible value without changing the answer: it does not need to be
//!   measured.
//!
//! How to read them:
//!
//! * `S_i <= ST_i`. The first-order indices add up to 1 when the inputs
//!   act additively; what is missing from 1 is interactions (then the total
//!   indices add up to more than 1).
//! * An index is a share of the *variance* (squared units), not of the
//!   expected loss; "the close rate explains 60 %" means that knowing it
//!   would remove 60 % of the variance, about 37 % of the standard deviation
//!   (`1 - √0.4`).
//! * Each index comes with a 95 % confidence interval. They are estimated
//!   from a randomised quasi-random design (Saltelli 2010 for the first
//!   order, Jansen 1999 for the total; the interval from independent
//!   scrambles of the design, see [`crate::sensitivity::Sobol`]): the only
//!   error is that of the design, which more `--samples` shrink. An estimate
//!   can fall a little below 0 or above 1 within its interval.
//! * An input the metric does not depend on has both indices exactly 0
//!   (the deal value for `customers`): moving it does not change the exact
//!   expectation by a single bit.
//! * A metric that does not vary at all over the inputs has no indices
//!   (JSON `null`, "does not vary" in the table).
//!
//! # Which to show
//!
//! The tornado is the picture for a meeting: two numbers per input, in the
//! units of the business. The Sobol indices are the check behind it: if the
//! two rank the inputs differently, the inputs interact or their effect is
//! not monotone over their range, and the Sobol ranking is the one to trust.
//!
//! # The value of speed
//!
//! `sweep --speed` ([`Sweep::value_of_speed`](crate::whatif::Sweep::value_of_speed))
//! stretches the follow-up delay of every segment (or of `--segment`) so
//! that its mean runs from 1 minute to 30 days on a log grid, and draws what
//! each mean delay costs:
//!
//! * the line is the exact expected metric at each mean delay;
//! * the light band is the luck of the draw: 90 % of the Monte Carlo trials;
//! * with uncertain inputs, the darker band is what we do not know: the 5th
//!   to 95th percentile of the exact `E[metric | inputs]` over the inputs
//!   ([`InputBands`](crate::whatif::InputBands)). The delay being swept is set
//!   at each point, so an uncertain mean delay does not widen it;
//! * the grey line marks today's mean delay, the black one the customer goal.
//!
//! The sentence above the table prices one hour at today's setting: "each
//! hour of extra delay costs X in expected revenue (between Y and Z)". X is
//! the slope of the exact expected revenue lost with respect to the mean
//! delay ([`MarginalValue`](crate::whatif::MarginalValue)); Y and Z are the
//! 5th and 95th percentiles of that slope over the uncertain inputs. It is
//! a slope, good for small changes: to price "from 2 days to 4 hours", read
//! the two points off the curve instead. The curve is flat where the delay
//! is short against the shelf life, and the slope there is near 0: speed is
//! worth most where the curve bends.
