//! Seeding: trial `i` of a run seeded with `s` draws from its own generator,
//! a function of `(s, i)` alone.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator type of every trial ([`trial_rng`]): xoshiro256++, from
/// `rand_xoshiro` (re-exported as [`crate::rand_xoshiro`]).
pub type TrialRng = Xoshiro256PlusPlus;

/// The generator of trial `trial` in a run seeded with `seed`.
///
/// The run draws from one SplitMix64 stream, started at a mix of the seed;
/// trial `i`'s xoshiro256++ state is that stream's outputs `4i` to `4i + 3`,
/// counting from 0 (the seeding xoshiro's authors recommend, with each trial on its own
/// block). So distinct trials never share a state word for `trial < 2^62`,
/// and a trial's stream depends on `(seed, trial)` alone.
///
/// ```
/// use lead_decay::engine::trial_rng;
/// use lead_decay::rand::Rng;
///
/// assert_eq!(trial_rng(42, 7).next_u64(), trial_rng(42, 7).next_u64());
/// assert_ne!(trial_rng(42, 7).next_u64(), trial_rng(42, 8).next_u64());
/// ```
pub fn trial_rng(seed: u64, trial: u64) -> TrialRng {
    let words = [1, 2, 3, 4].map(|k| splitmix_output(seed, trial, k));
    let mut state = [0u8; 32];
    for (bytes, word) in state.chunks_exact_mut(8).zip(words) {
        bytes.copy_from_slice(&word.to_le_bytes());
    }
    Xoshiro256PlusPlus::from_seed(state)
}

/// The point of the unit cube that trial `trial` of a run seeded with
/// `seed` draws its uncertain inputs at (one coordinate per input, see
/// [`Uncertainty::realise`](crate::model::uncertainty::Uncertainty::realise)):
/// a function of `(seed, trial)` alone, from a stream of its own, so the
/// trial's SQLs draw from [`trial_rng`] exactly as in a run without
/// uncertain inputs. Each coordinate is a 53-bit uniform at the middle of
/// its cell, never 0 nor 1.
///
/// ```
/// use lead_decay::engine::trial_inputs;
///
/// let (mut a, mut b) = ([0.0; 3], [0.0; 3]);
/// trial_inputs(42, 7, &mut a);
/// trial_inputs(42, 7, &mut b);
/// assert_eq!(a, b);
/// assert!(a.iter().all(|&u| u > 0.0 && u < 1.0));
/// ```
pub fn trial_inputs(seed: u64, trial: u64, out: &mut [f64]) {
    use rand::Rng;
    let mut rng = trial_rng(mix64(seed ^ INPUT_STREAM), trial);
    for u in out {
        *u = ((rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64);
    }
}

/// Keys the stream of a run's uncertain inputs apart from its SQL draws.
const INPUT_STREAM: u64 = 0x696E_7075_7473_2121; // "inputs!!"

const PHI: u64 = 0x9E37_79B9_7F4A_7C15;

/// State word `k` (1 to 4) of trial `trial`: the SplitMix64 output at
/// counter `4 trial + k` of the run's stream.
#[inline(always)]
fn splitmix_output(seed: u64, trial: u64, k: u64) -> u64 {
    let start = mix64(seed ^ 0x6A09_E667_F3BC_C908);
    mix64(start.wrapping_add(trial.wrapping_mul(4).wrapping_add(k).wrapping_mul(PHI)))
}

/// `trial_rng(seed, trial).next_u64()`, computed from the two state words it
/// depends on: the first xoshiro256++ output is `rotl(s0 + s3, 23) + s0`.
/// Skipping the other two words and the generator took the collapsed
/// reference, whose trials are one word each, from 54 M to 144 M trials/s on
/// one thread; seeding from blocks of one SplitMix64 stream (two mixes for
/// this word, not three) from 307 M to 486 M.
#[inline(always)]
pub(crate) fn first_word(seed: u64, trial: u64) -> u64 {
    let s0 = splitmix_output(seed, trial, 1);
    let s3 = splitmix_output(seed, trial, 4);
    s0.wrapping_add(s3).rotate_left(23).wrapping_add(s0)
}

/// The SplitMix64 finaliser (a bijection on u64).
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
