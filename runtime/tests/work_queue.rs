//! The work queue: de-duplication, requeue after done, rate limits, shutdown and drain.

use std::collections::HashSet;
use std::time::Duration;

use kube_codegen_runtime::informer::{RateLimits, WorkQueue};
use proptest::prelude::*;

#[tokio::test]
async fn a_key_added_twice_while_waiting_is_processed_once() {
    let queue = WorkQueue::new();
    queue.add("a");
    queue.add("b");
    queue.add("a");
    assert_eq!(queue.len(), 2);
    assert_eq!(queue.get().await, Some("a"));
    assert_eq!(queue.get().await, Some("b"));
    assert!(queue.is_empty());
}

#[tokio::test]
async fn a_key_added_while_processing_is_processed_again_after_done_not_concurrently() {
    let queue = WorkQueue::new();
    queue.add("a");
    let first = queue.get().await;
    assert_eq!(first, Some("a"));
    queue.add("a");
    assert!(
        queue.is_empty(),
        "not handed to a second worker while in flight"
    );
    queue.done(&"a");
    assert_eq!(queue.len(), 1);
    assert_eq!(queue.get().await, Some("a"));
    queue.done(&"a");
    assert!(queue.is_empty());
}

#[tokio::test(start_paused = true)]
async fn rate_limited_requeues_back_off_per_key_and_forget_resets() {
    let queue = WorkQueue::new();
    let delays: Vec<Duration> = (0..4).map(|_| queue.when(&"a")).collect();
    assert_eq!(
        delays,
        [5, 10, 20, 40].map(Duration::from_millis),
        "5 ms doubling"
    );
    assert_eq!(queue.num_requeues(&"a"), 4);
    assert_eq!(queue.when(&"b"), Duration::from_millis(5), "per key");
    queue.forget(&"a");
    assert_eq!(queue.num_requeues(&"a"), 0);

    let capped = WorkQueue::with_limits(RateLimits {
        max_delay: Duration::from_millis(30),
        ..RateLimits::default()
    });
    let last = (0..100).fold(None, |_, _| Some(capped.when(&"x")));
    assert_eq!(last, Some(Duration::from_millis(30)));

    let started = tokio::time::Instant::now();
    queue.add_rate_limited("c");
    assert!(queue.is_empty(), "not before its delay");
    assert_eq!(queue.get().await, Some("c"));
    assert!(started.elapsed() >= Duration::from_millis(5));
}

#[tokio::test(start_paused = true)]
async fn the_overall_bucket_limits_a_burst_of_new_keys() {
    let queue = WorkQueue::with_limits(RateLimits {
        burst: 2,
        qps: 10.0,
        ..RateLimits::default()
    });
    assert_eq!(queue.when(&1), Duration::from_millis(5));
    assert_eq!(queue.when(&2), Duration::from_millis(5));
    // The bucket is empty: the third waits for a token, 100 ms at 10 per second.
    assert_eq!(queue.when(&3), Duration::from_millis(100));
}

#[tokio::test]
async fn shutdown_wakes_waiting_workers_and_drain_waits_for_work_in_flight() {
    let queue: WorkQueue<u32> = WorkQueue::new();
    let waiting = tokio::spawn({
        let queue = queue.clone();
        async move { queue.get().await }
    });
    tokio::task::yield_now().await;
    queue.add(1);
    assert_eq!(waiting.await.expect("worker"), Some(1));

    let idle = tokio::spawn({
        let queue = queue.clone();
        async move { queue.get().await }
    });
    tokio::task::yield_now().await;
    let drained = tokio::spawn({
        let queue = queue.clone();
        async move { queue.shutdown_with_drain().await }
    });
    assert_eq!(idle.await.expect("worker"), None, "woken by shutdown");
    tokio::task::yield_now().await;
    assert!(!drained.is_finished(), "1 is still being processed");
    queue.add(2);
    assert!(queue.is_empty(), "no adds after shutdown");
    queue.done(&1);
    tokio::time::timeout(Duration::from_secs(5), drained)
        .await
        .expect("drain finished")
        .expect("task");
}

#[derive(Clone, Debug)]
enum Op {
    Add(u8),
    Get,
    Done,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![(0u8..6).prop_map(Op::Add), Just(Op::Get), Just(Op::Done)]
}

proptest! {
    /// Against a model: no key lost, never two workers on one key, duplicates merged while
    /// waiting.
    #[test]
    fn no_key_is_lost_or_processed_twice_at_once(ops in proptest::collection::vec(op(), 1..80)) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        runtime.block_on(async {
            let queue = WorkQueue::new();
            let mut in_flight: Vec<u8> = Vec::new();
            // Keys added since they were last handed out: each must be handed out again.
            let mut owed: HashSet<u8> = HashSet::new();
            for op in ops {
                match op {
                    Op::Add(key) => { queue.add(key); owed.insert(key); }
                    Op::Get => {
                        if queue.is_empty() { continue; }
                        let key = queue.get().await.expect("not shut down");
                        prop_assert!(!in_flight.contains(&key), "{key} handed out twice");
                        prop_assert!(owed.remove(&key), "{key} handed out without an add");
                        in_flight.push(key);
                    }
                    Op::Done => {
                        if let Some(key) = in_flight.pop() { queue.done(&key); }
                    }
                }
            }
            for key in in_flight.drain(..) { queue.done(&key); }
            let mut seen = HashSet::new();
            while !queue.is_empty() {
                let key = queue.get().await.expect("not shut down");
                prop_assert!(seen.insert(key), "{key} queued twice");
                queue.done(&key);
            }
            prop_assert_eq!(seen, owed, "every key added is processed");
            Ok(())
        })?;
    }
}
