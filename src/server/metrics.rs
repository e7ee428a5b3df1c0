//! `/metrics`: request counts by route and status and a latency histogram, in Prometheus text.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use super::admission::Busy;

/// Latency buckets of the request histogram, in seconds.
const BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0];

/// Request counts by route and status, and a latency histogram.
#[derive(Default)]
pub(super) struct Metrics {
    requests: Mutex<HashMap<(String, u16), u64>>,
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_micros: AtomicU64,
}

impl Metrics {
    pub(super) fn record(&self, route: &str, status: u16, took: Duration) {
        if let Ok(mut m) = self.requests.lock() {
            match m.get_mut(&(route.to_string(), status)) {
                Some(n) => *n += 1,
                None => {
                    m.insert((route.to_string(), status), 1);
                }
            }
        }
        let secs = took.as_secs_f64();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if secs <= *bound {
                self.buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_micros.fetch_add(
            took.as_micros().min(u128::from(u64::MAX)) as u64,
            Ordering::Relaxed,
        );
    }

    pub(super) fn render(&self, articles: u64, passages: u64, busy: Busy) -> String {
        let mut out = String::new();
        out.push_str("# HELP byline_requests_total HTTP requests by route and status.\n# TYPE byline_requests_total counter\n");
        let mut rows: Vec<((String, u16), u64)> = self
            .requests
            .lock()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), *v)).collect())
            .unwrap_or_default();
        rows.sort();
        for ((route, status), n) in rows {
            out.push_str(&format!(
                "byline_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}\n"
            ));
        }
        out.push_str("# HELP byline_request_duration_seconds Request latency.\n# TYPE byline_request_duration_seconds histogram\n");
        for (i, bound) in BUCKETS.iter().enumerate() {
            out.push_str(&format!(
                "byline_request_duration_seconds_bucket{{le=\"{bound}\"}} {}\n",
                self.buckets[i].load(Ordering::Relaxed)
            ));
        }
        let count = self.count.load(Ordering::Relaxed);
        out.push_str(&format!(
            "byline_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}\n"
        ));
        out.push_str(&format!(
            "byline_request_duration_seconds_sum {}\n",
            self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6
        ));
        out.push_str(&format!("byline_request_duration_seconds_count {count}\n"));
        out.push_str(&format!("# HELP byline_index_articles Articles in the index.\n# TYPE byline_index_articles gauge\nbyline_index_articles {articles}\n"));
        out.push_str(&format!("# HELP byline_index_passages Passages in the index.\n# TYPE byline_index_passages gauge\nbyline_index_passages {passages}\n"));
        out.push_str(&format!("# HELP byline_searches_running Searches running now.\n# TYPE byline_searches_running gauge\nbyline_searches_running {}\n", busy.running));
        out.push_str(&format!("# HELP byline_searches_waiting Searches waiting for a slot.\n# TYPE byline_searches_waiting gauge\nbyline_searches_waiting {}\n", busy.waiting));
        out
    }
}
