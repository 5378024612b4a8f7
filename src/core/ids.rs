//! Time-ordered 64-bit ids ("snowflakes"): milliseconds since the Unix epoch
//! in the high 48 bits, then 6 bits naming the app process and a 10-bit
//! sequence. Clients see them as strings that sort by time (by length, then
//! lexically). One generator serves a whole process; processes sharing a
//! PostgreSQL database each get their own number from it (`db::process_number`).

use std::sync::Mutex;

/// Values of the process part of an id.
pub const PROCESSES: i64 = 64;
const SEQUENCE: i64 = 1 << 10;

pub struct IdGen {
    process: i64,
    state: Mutex<(i64, i64)>,
}

impl Default for IdGen {
    /// A generator with a random process number (for a process that owns its database).
    fn default() -> Self {
        IdGen::for_process(rand::random::<u8>() as i64)
    }
}

impl IdGen {
    /// A generator for process number `n` (taken modulo [`PROCESSES`]).
    pub fn for_process(n: i64) -> IdGen {
        IdGen {
            process: n.rem_euclid(PROCESSES),
            state: Mutex::new((0, 0)),
        }
    }

    pub fn next(&self) -> i64 {
        let now = chrono::Utc::now().timestamp_millis();
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let (last_ms, seq) = *state;
        let (ms, seq) = if now > last_ms {
            (now, 0)
        } else if seq < SEQUENCE - 1 {
            (last_ms, seq + 1)
        } else {
            (last_ms + 1, 0)
        };
        *state = (ms, seq);
        (ms << 16) | (self.process << 10) | seq
    }
}

/// The time an id was made, in milliseconds since the epoch.
pub fn millis_of(id: i64) -> i64 {
    id >> 16
}

/// The smallest id made at `millis` (for paging by time).
pub fn first_at(millis: i64) -> i64 {
    millis << 16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_increase_and_carry_time() {
        let g = IdGen::default();
        let mut last = 0;
        for _ in 0..10_000 {
            let id = g.next();
            assert!(id > last);
            last = id;
        }
        let now = chrono::Utc::now().timestamp_millis();
        assert!((millis_of(last) - now).abs() < 5_000);
        assert!(first_at(millis_of(last)) <= last);
    }

    #[test]
    fn processes_never_collide() {
        let a = IdGen::for_process(1);
        let b = IdGen::for_process(2);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..5_000 {
            assert!(seen.insert(a.next()));
            assert!(seen.insert(b.next()));
        }
    }
}
