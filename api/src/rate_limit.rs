//! Rate limits per key (a client address, an API client): one interface, [`Limit`], and one
//! implementation, [`RateLimiter`], the generic cell rate algorithm of the `governor` crate in the
//! memory of one process. A key may send `burst` requests at once, then one per emission
//! interval. With several processes behind a load balancer each counts on its own, so the
//! effective limit is the per-process one times the processes; a limiter shared between
//! processes (in the database, say) would be another implementation of [`Limit`].

use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota};
use std::hash::Hash;
use std::num::NonZeroU32;
use std::time::Duration;

/// Keys kept before the ones whose cells are full again are forgotten.
const KEYS_KEPT: usize = 100_000;

/// A rate limit per key.
pub trait Limit<K>: Send + Sync + std::fmt::Debug {
    /// Counts a request of `key`: `Ok(())` when allowed, `Err(seconds to wait)` (at least 1)
    /// when over the limit.
    fn check(&self, key: &K) -> Result<(), u64>;
}

/// A rate limit per key in the memory of this process.
pub struct RateLimiter<K: Hash + Eq + Clone> {
    limiter: DefaultKeyedRateLimiter<K>,
}

impl<K: Hash + Eq + Clone> std::fmt::Debug for RateLimiter<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimiter")
            .field("keys", &self.limiter.len())
            .finish()
    }
}

impl<K: Hash + Eq + Clone> RateLimiter<K> {
    /// `limit` requests per `window`: all of them at once, then one every `window / limit`.
    pub fn per_window(limit: u32, window: Duration) -> Self {
        let limit = NonZeroU32::new(limit).unwrap_or(NonZeroU32::MIN);
        let period = (window / limit.get()).max(Duration::from_nanos(1));
        Self::with_quota(Quota::with_period(period), limit)
    }

    /// `rate_per_sec` requests per second sustained, `burst` at once.
    pub fn per_second(rate_per_sec: f64, burst: u32) -> Self {
        let rate = if rate_per_sec.is_finite() && rate_per_sec > 0.0 {
            rate_per_sec
        } else {
            1.0
        };
        let period = Duration::try_from_secs_f64(1.0 / rate)
            .unwrap_or(Duration::from_secs(1))
            .max(Duration::from_nanos(1));
        let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
        Self::with_quota(Quota::with_period(period), burst)
    }

    fn with_quota(quota: Option<Quota>, burst: NonZeroU32) -> Self {
        let quota = quota.unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN));
        RateLimiter {
            limiter: governor::RateLimiter::keyed(quota.allow_burst(burst)),
        }
    }
}

impl<K: Hash + Eq + Clone + Send + Sync> Limit<K> for RateLimiter<K> {
    fn check(&self, key: &K) -> Result<(), u64> {
        if self.limiter.len() > KEYS_KEPT {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(key).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.limiter.clock().now());
            wait.as_secs_f64().ceil().max(1.0) as u64
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn a_window_limit_is_per_key_and_comes_back_with_time() {
        let limiter = RateLimiter::per_window(3, Duration::from_millis(300));
        for _ in 0..3 {
            assert!(limiter.check(&"a".to_string()).is_ok());
        }
        assert_eq!(limiter.check(&"a".to_string()), Err(1));
        assert!(limiter.check(&"b".to_string()).is_ok());
        std::thread::sleep(Duration::from_millis(350));
        assert!(limiter.check(&"a".to_string()).is_ok());
    }

    #[test]
    fn a_burst_is_allowed_then_the_rate_applies_per_client() {
        let limiter = RateLimiter::per_second(10.0, 3);
        let a = Uuid::from_u128(1);
        for _ in 0..3 {
            assert!(limiter.check(&a).is_ok());
        }
        assert_eq!(limiter.check(&a), Err(1));
        assert!(limiter.check(&Uuid::from_u128(2)).is_ok());
        std::thread::sleep(Duration::from_millis(120));
        assert!(
            limiter.check(&a).is_ok(),
            "a token comes back after 1/rate seconds"
        );
    }

    #[test]
    fn the_wait_is_the_time_until_the_next_request_is_allowed() {
        let limiter = RateLimiter::per_second(0.2, 1);
        let a = Uuid::from_u128(1);
        assert!(limiter.check(&a).is_ok());
        assert_eq!(limiter.check(&a), Err(5));
    }
}
