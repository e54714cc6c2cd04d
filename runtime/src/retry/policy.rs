//! Capped exponential backoff with full jitter, driven by an error classification.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use super::classify::{ErrorClass, classify, retry_all};

/// A shareable error classification, as a [`RetryPolicy`] holds it.
pub type Classifier = Arc<dyn Fn(&kube::Error) -> ErrorClass + Send + Sync>;

/// Where the randomness of the backoff comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Jitter {
    /// Sleep exactly the backoff ceiling (deterministic; for tests and reasoning about bounds).
    None,
    /// Full jitter: sleep a uniformly random time in `[0, ceiling)`, from a fresh random seed
    /// per call. Spreads out clients that failed together so they do not retry in lockstep.
    Full,
    /// Full jitter from a fixed seed: every call draws the same sequence (reproducible tests
    /// and benchmarks).
    Seeded(u64),
}

impl Jitter {
    fn rng(self) -> Option<fastrand::Rng> {
        match self {
            Jitter::None => None,
            Jitter::Full => Some(fastrand::Rng::new()),
            Jitter::Seeded(seed) => Some(fastrand::Rng::with_seed(seed)),
        }
    }
}

/// When and how often to retry a failed call.
///
/// The delay before retry `n` (0-based) has the ceiling `min(max_delay, initial_delay *
/// factor^n)`; with [`Jitter::Full`] the actual sleep is uniform in `[0, ceiling)`. A server's
/// `Retry-After` is a floor on that sleep and is not capped (the server knows best how long it
/// needs), but it still counts against `max_elapsed`. A call is attempted at most
/// `max_attempts` times, and no sleep is started that would end past `max_elapsed` from the
/// first attempt: the last error is returned instead.
///
/// Which errors are retried is the policy's classifier (by default [`classify`]); only
/// [`ErrorClass::Retry`] is retried, answers and conflicts return at once. Sleeping uses
/// `tokio::time::sleep`, so tests under a paused tokio clock run instantly and can measure
/// exact virtual delays.
///
/// Cloning is cheap (the classifier is shared).
#[derive(Clone)]
pub struct RetryPolicy {
    initial_delay: Duration,
    factor: f64,
    max_delay: Duration,
    max_attempts: u32,
    max_elapsed: Option<Duration>,
    jitter: Jitter,
    classifier: Classifier,
}

impl fmt::Debug for RetryPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryPolicy")
            .field("initial_delay", &self.initial_delay)
            .field("factor", &self.factor)
            .field("max_delay", &self.max_delay)
            .field("max_attempts", &self.max_attempts)
            .field("max_elapsed", &self.max_elapsed)
            .field("jitter", &self.jitter)
            .finish_non_exhaustive()
    }
}

impl RetryPolicy {
    /// Never retries: one attempt, whatever the error. The default for writes, which are not
    /// known to be idempotent.
    pub fn none() -> Self {
        RetryPolicy {
            initial_delay: Duration::ZERO,
            factor: 1.0,
            max_delay: Duration::ZERO,
            max_attempts: 1,
            max_elapsed: None,
            jitter: Jitter::None,
            classifier: Arc::new(classify),
        }
    }

    /// The default for idempotent reads (get, list, starting a watch): [`classify`]d, 6
    /// attempts, 200 ms doubling to at most 5 s, full jitter, 30 s in all.
    pub fn default_reads() -> Self {
        RetryPolicy {
            initial_delay: Duration::from_millis(200),
            factor: 2.0,
            max_delay: Duration::from_secs(5),
            max_attempts: 6,
            max_elapsed: Some(Duration::from_secs(30)),
            jitter: Jitter::Full,
            classifier: Arc::new(classify),
        }
    }

    /// The default timing of [`retry_on_conflict`](super::retry_on_conflict): 5 attempts,
    /// 10 ms doubling to at most 1 s, full jitter. Conflicts clear as soon as the competing
    /// writer is done, so the first retries come quickly.
    pub fn default_conflicts() -> Self {
        RetryPolicy {
            initial_delay: Duration::from_millis(10),
            factor: 2.0,
            max_delay: Duration::from_secs(1),
            max_attempts: 5,
            max_elapsed: None,
            jitter: Jitter::Full,
            classifier: Arc::new(classify),
        }
    }

    /// clusterctl's read backoff before cluster-api#11984 (250 ms × 1.5, 9 attempts) retrying
    /// *every* error with [`retry_all`], NotFound included. Exists to measure what the
    /// classification saves; do not use it for real reads.
    pub fn retry_everything() -> Self {
        RetryPolicy {
            initial_delay: Duration::from_millis(250),
            factor: 1.5,
            max_delay: Duration::from_secs(10),
            max_attempts: 9,
            max_elapsed: None,
            jitter: Jitter::Full,
            classifier: Arc::new(retry_all),
        }
    }

    /// Sets the ceiling of the first retry's delay.
    pub fn with_initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// Sets the growth factor of the delay ceiling; values below 1 (or NaN) are taken as 1.
    pub fn with_factor(mut self, factor: f64) -> Self {
        self.factor = if factor >= 1.0 { factor } else { 1.0 };
        self
    }

    /// Caps the delay ceiling (not a server's `Retry-After`).
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Sets the number of attempts, the first included; 0 is taken as 1.
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Bounds the total time from the first attempt (`None`: only `max_attempts` bounds it).
    pub fn with_max_elapsed(mut self, max: Option<Duration>) -> Self {
        self.max_elapsed = max;
        self
    }

    /// Sets the jitter (e.g. [`Jitter::Seeded`] for reproducible runs).
    pub fn with_jitter(mut self, jitter: Jitter) -> Self {
        self.jitter = jitter;
        self
    }

    /// Replaces the classification used by [`RetryPolicy::run`].
    pub fn with_classifier(
        mut self,
        classifier: impl Fn(&kube::Error) -> ErrorClass + Send + Sync + 'static,
    ) -> Self {
        self.classifier = Arc::new(classifier);
        self
    }

    /// The number of attempts, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The jitter in use.
    pub fn jitter(&self) -> Jitter {
        self.jitter
    }

    /// This policy's classification of `err`.
    pub fn classify(&self, err: &kube::Error) -> ErrorClass {
        (self.classifier)(err)
    }

    /// The delay ceiling before retry `retry` (0-based): `min(max_delay, initial * factor^retry)`.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exponent = i32::try_from(retry).unwrap_or(i32::MAX);
        let secs = self.initial_delay.as_secs_f64() * self.factor.powi(exponent);
        // Overflow to infinity (or a NaN from 0 × ∞) means "past any cap".
        Duration::try_from_secs_f64(secs)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }

    /// Runs `op` until it succeeds, fails with an error the policy's classifier does not call
    /// [`ErrorClass::Retry`], or the attempts or time run out; returns the last result.
    pub async fn run<T, F, Fut>(&self, op: F) -> Result<T, kube::Error>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, kube::Error>>,
    {
        let classifier = Arc::clone(&self.classifier);
        self.run_with(move |e: &kube::Error| classifier(e), op)
            .await
    }

    /// [`RetryPolicy::run`] with this call's own classification instead of the policy's: e.g.
    /// treat NotFound as transient while waiting for an object to appear, or make a normally
    /// retried 503 final.
    pub async fn run_with<T, F, Fut, C>(&self, classifier: C, mut op: F) -> Result<T, kube::Error>
    where
        C: Fn(&kube::Error) -> ErrorClass,
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, kube::Error>>,
    {
        let start = Instant::now();
        let mut rng = self.jitter.rng();
        let mut attempt: u32 = 1;
        loop {
            let err = match op().await {
                Ok(value) => return Ok(value),
                Err(err) => err,
            };
            let ErrorClass::Retry { after } = classifier(&err) else {
                return Err(err);
            };
            if attempt >= self.max_attempts {
                return Err(err);
            }
            let delay = self.delay(attempt - 1, after, rng.as_mut());
            if let Some(max) = self.max_elapsed
                && start.elapsed().saturating_add(delay) > max
            {
                return Err(err);
            }
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// The sleep before retry `retry`: the jittered backoff, raised to the server's floor.
    fn delay(
        &self,
        retry: u32,
        after: Option<Duration>,
        rng: Option<&mut fastrand::Rng>,
    ) -> Duration {
        let ceiling = self.backoff(retry);
        let jittered = match rng {
            Some(rng) => ceiling.mul_f64(rng.f64()),
            None => ceiling,
        };
        after.map_or(jittered, |floor| jittered.max(floor))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_by_factor_and_stops_at_the_cap() {
        let p = RetryPolicy::default_reads();
        let ceilings: Vec<_> = (0..6).map(|n| p.backoff(n).as_millis()).collect();
        assert_eq!(ceilings, [200, 400, 800, 1600, 3200, 5000]);
        assert_eq!(p.backoff(u32::MAX), Duration::from_secs(5));
    }

    #[test]
    fn nonsense_settings_are_clamped() {
        let p = RetryPolicy::none()
            .with_max_attempts(0)
            .with_factor(f64::NAN)
            .with_initial_delay(Duration::from_secs(1))
            .with_max_delay(Duration::from_secs(3));
        assert_eq!(p.max_attempts(), 1);
        assert_eq!(p.backoff(10), Duration::from_secs(1));
        let huge = p.with_factor(f64::MAX);
        assert_eq!(huge.backoff(1000), Duration::from_secs(3));
    }

    #[test]
    fn full_jitter_stays_below_the_ceiling_and_retry_after_is_a_floor() {
        let p = RetryPolicy::default_reads();
        let mut rng = fastrand::Rng::with_seed(7);
        for retry in 0..20 {
            let d = p.delay(retry, None, Some(&mut rng));
            assert!(d < p.backoff(retry), "{d:?} at retry {retry}");
        }
        let floor = Duration::from_secs(9);
        assert_eq!(p.delay(0, Some(floor), Some(&mut rng)), floor);
        assert_eq!(
            p.delay(0, Some(floor), None),
            floor,
            "floor above the cap is kept"
        );
    }
}
