#![no_main]
//! cargo-fuzz target: see `targets::http_query`.

#[path = "../targets.rs"]
#[allow(dead_code)]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::http_query(data));
