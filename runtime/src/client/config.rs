//! The retry settings a generated clientset holds and hands to every per-type client.

use crate::retry::RetryPolicy;

/// Retry policies for one clientset: one for idempotent reads, one for writes.
///
/// The default retries reads (get, list, starting a watch) with [`RetryPolicy::default_reads`]
/// and never retries writes ([`RetryPolicy::none`]): a create or update whose response was lost
/// may have been applied, and resending it blindly turns a success into AlreadyExists or
/// Conflict. Cloning is cheap.
#[derive(Clone, Debug)]
pub struct ClientsetConfig {
    reads: RetryPolicy,
    writes: RetryPolicy,
}

impl Default for ClientsetConfig {
    fn default() -> Self {
        ClientsetConfig {
            reads: RetryPolicy::default_reads(),
            writes: RetryPolicy::none(),
        }
    }
}

impl ClientsetConfig {
    /// Reads retried with [`RetryPolicy::default_reads`], writes not retried.
    pub fn new() -> Self {
        Self::default()
    }

    /// No retries at all (e.g. in tests that count requests, or under an outer retry loop).
    pub fn no_retries() -> Self {
        ClientsetConfig {
            reads: RetryPolicy::none(),
            writes: RetryPolicy::none(),
        }
    }

    /// Sets the policy for get, list, watch start and subresource reads.
    pub fn with_read_policy(mut self, policy: RetryPolicy) -> Self {
        self.reads = policy;
        self
    }

    /// Sets the policy for create, update, patch, apply, delete and subresource writes.
    pub fn with_write_policy(mut self, policy: RetryPolicy) -> Self {
        self.writes = policy;
        self
    }

    /// The policy for reads.
    pub fn read_policy(&self) -> &RetryPolicy {
        &self.reads
    }

    /// The policy for writes.
    pub fn write_policy(&self) -> &RetryPolicy {
        &self.writes
    }
}
