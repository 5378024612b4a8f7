//! Ids as the server makes them, and the skew of who posts how much.

use rand::{rngs::StdRng, Rng};

/// Time-ordered ids as the server makes them (`core::ids`), for times
/// given in milliseconds; `process` keeps each table's ids apart.
pub struct Ids {
    process: i64,
    ms: i64,
    seq: i64,
}

impl Ids {
    pub fn new(process: i64) -> Ids {
        Ids {
            process: process % crate::core::ids::PROCESSES,
            ms: 0,
            seq: 0,
        }
    }

    /// An id made at `ms` (or just after the last one, if that was later).
    pub fn at(&mut self, ms: i64) -> i64 {
        if ms > self.ms {
            self.ms = ms;
            self.seq = 0;
        } else if self.seq < 1023 {
            self.seq += 1;
        } else {
            self.ms += 1;
            self.seq = 0;
        }
        (self.ms << 16) | (self.process << 10) | self.seq
    }
}

/// A random number in `0..n`, most often small (a few accounts post most).
pub fn skewed(rng: &mut StdRng, n: usize) -> usize {
    let u: f64 = rng.gen();
    ((u * u * u) * n as f64) as usize % n.max(1)
}
