//! Admission: at most N searches at once and at most M waiting for a slot; a waiting place
//! is given back however the wait ends (a slot, the deadline, or the client hanging up).
//!
//! A client that closes its connection while its request waits makes hyper drop the request's
//! future mid-`await`: a count decremented after the `await` would never be decremented, and
//! after M such requests every request that could not start at once would be refused. The
//! place in the queue is therefore a guard ([`Waiting`]) released by `Drop`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// Why a request was not admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Every slot busy and the queue full (or no slots at all: a drain mode).
    Overloaded,
    /// The deadline passed while waiting.
    TimedOut,
}

/// How busy the server is, for `/readyz` and `/metrics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Busy {
    /// Searches running now.
    pub running: usize,
    /// Requests waiting for a slot.
    pub waiting: usize,
    /// Slots (`--max-concurrent`).
    pub max_concurrent: usize,
    /// Queue places (`--max-queued`).
    pub max_queued: usize,
}

/// The slots and the queue.
#[derive(Debug)]
pub struct Admission {
    slots: Arc<Semaphore>,
    waiting: AtomicUsize,
    max_concurrent: usize,
    max_queued: usize,
}

/// A place in the queue, given back when dropped.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Admission {
    /// `max_concurrent` slots and `max_queued` queue places.
    pub fn new(max_concurrent: usize, max_queued: usize) -> Admission {
        Admission {
            slots: Arc::new(Semaphore::new(max_concurrent)),
            waiting: AtomicUsize::new(0),
            max_concurrent,
            max_queued,
        }
    }

    /// A slot, at once if one is free, else after waiting in the queue until `deadline`. The
    /// slot is held until the permit is dropped (by the search task, which may outlive the
    /// request).
    pub async fn enter(&self, deadline: Instant) -> Result<OwnedSemaphorePermit, Refused> {
        if let Ok(permit) = self.slots.clone().try_acquire_owned() {
            return Ok(permit);
        }
        if self.max_concurrent == 0 {
            return Err(Refused::Overloaded);
        }
        let place = self.waiting.fetch_add(1, Ordering::SeqCst);
        let _waiting = Waiting(&self.waiting);
        if place >= self.max_queued {
            return Err(Refused::Overloaded);
        }
        match tokio::time::timeout_at(deadline, self.slots.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(_closed)) => Err(Refused::Overloaded),
            Err(_elapsed) => Err(Refused::TimedOut),
        }
    }

    /// Searches running and waiting now.
    pub fn busy(&self) -> Busy {
        Busy {
            running: self
                .max_concurrent
                .saturating_sub(self.slots.available_permits()),
            waiting: self.waiting.load(Ordering::SeqCst),
            max_concurrent: self.max_concurrent,
            max_queued: self.max_queued,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn soon() -> Instant {
        Instant::now() + Duration::from_secs(60)
    }

    /// Waits until `n` requests are queued (the spawned tasks have reached their `await`).
    async fn until_waiting(a: &Admission, n: usize) {
        for _ in 0..1000 {
            if a.busy().waiting == n {
                return;
            }
            tokio::task::yield_now().await;
        }
        panic!("waiting {} (wanted {n})", a.busy().waiting);
    }

    #[tokio::test]
    async fn requests_dropped_while_queued_give_their_places_back() {
        let a = Arc::new(Admission::new(1, 4));
        let running = a.enter(soon()).await.unwrap();
        // Four requests wait for the one slot; the fifth is refused at once.
        let queued: Vec<_> = (0..4)
            .map(|_| {
                let a = a.clone();
                tokio::spawn(async move { a.enter(soon()).await.map(drop) })
            })
            .collect();
        until_waiting(&a, 4).await;
        assert_eq!(a.enter(soon()).await.err(), Some(Refused::Overloaded));
        // Their clients hang up: hyper drops the futures mid-wait.
        for q in &queued {
            q.abort();
        }
        for q in queued {
            assert!(q.await.unwrap_err().is_cancelled());
        }
        assert_eq!(
            a.busy(),
            Busy {
                running: 1,
                waiting: 0,
                max_concurrent: 1,
                max_queued: 4
            }
        );
        // The whole queue is available again, and each waiter gets the slot in turn.
        let again: Vec<_> = (0..4)
            .map(|_| {
                let a = a.clone();
                tokio::spawn(async move { a.enter(soon()).await.map(drop) })
            })
            .collect();
        until_waiting(&a, 4).await;
        drop(running);
        for q in again {
            assert_eq!(q.await.unwrap(), Ok(()));
        }
        assert_eq!(a.busy().waiting, 0);
        assert_eq!(a.busy().running, 0);
    }

    #[tokio::test]
    async fn a_deadline_passed_while_waiting_gives_the_place_back() {
        let a = Admission::new(1, 1);
        let _running = a.enter(soon()).await.unwrap();
        let past = Instant::now() + Duration::from_millis(10);
        assert_eq!(a.enter(past).await.err(), Some(Refused::TimedOut));
        assert_eq!(a.busy().waiting, 0);
        assert_eq!(
            Admission::new(0, 5).enter(soon()).await.err(),
            Some(Refused::Overloaded)
        );
    }
}
