//! A token bucket per API client, in the memory of one process: a client may send `burst`
//! requests at once and `rate` per second sustained. With several processes each keeps its own
//! buckets, so the effective limit is the per-process one times the processes.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;
use uuid::Uuid;

/// The buckets of every client seen by this process.
#[derive(Debug)]
pub struct ClientLimiter {
    rate: f64,
    burst: f64,
    buckets: Mutex<HashMap<Uuid, (Instant, f64)>>,
}

impl ClientLimiter {
    pub fn new(rate_per_sec: f64, burst: u32) -> Self {
        ClientLimiter {
            rate: if rate_per_sec.is_finite() && rate_per_sec > 0.0 {
                rate_per_sec
            } else {
                1.0
            },
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token of `client`: `Ok(())` when there was one, `Err(seconds until the next)`
    /// when the bucket is empty.
    pub fn check(&self, client: Uuid) -> Result<(), u64> {
        let now = Instant::now();
        let Ok(mut buckets) = self.buckets.lock() else {
            // A poisoned lock only means another request panicked; do not refuse service.
            return Ok(());
        };
        let (last, tokens) = buckets.entry(client).or_insert((now, self.burst));
        let refilled =
            (*tokens + now.duration_since(*last).as_secs_f64() * self.rate).min(self.burst);
        *last = now;
        if refilled >= 1.0 {
            *tokens = refilled - 1.0;
            Ok(())
        } else {
            *tokens = refilled;
            let wait = ((1.0 - refilled) / self.rate).ceil();
            Err(if wait.is_finite() && wait >= 1.0 {
                wait as u64
            } else {
                1
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_the_rate_applies_per_client() {
        let limiter = ClientLimiter::new(10.0, 3);
        let a = Uuid::from_u128(1);
        for _ in 0..3 {
            assert!(limiter.check(a).is_ok());
        }
        assert_eq!(limiter.check(a), Err(1));
        assert!(limiter.check(Uuid::from_u128(2)).is_ok());
        std::thread::sleep(std::time::Duration::from_millis(120));
        assert!(
            limiter.check(a).is_ok(),
            "a token comes back after 1/rate seconds"
        );
    }
}
