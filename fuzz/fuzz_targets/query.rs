#![no_main]
//! cargo-fuzz target: see `targets::query`.

#[path = "../targets.rs"]
#[allow(dead_code)]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::query(data));
