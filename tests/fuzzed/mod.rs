//! Every input the fuzzers keep, run through its target as `cargo test`: the hand-written
//! starting inputs (`fuzz/seeds/<target>/`) and every input that ever failed
//! (`fuzz/regressions/<target>/`, where `fuzz/run.sh` copies a crash before it is fixed).

#[path = "../../fuzz/targets.rs"]
mod targets;

use std::path::Path;

#[test]
fn every_kept_fuzz_input_passes_its_target() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    for (name, target) in targets::TARGETS {
        let mut inputs = 0;
        for kept in ["seeds", "regressions"] {
            let Ok(entries) = std::fs::read_dir(fuzz.join(kept).join(name)) else {
                continue;
            };
            for entry in entries {
                let path = entry.unwrap().path();
                if path.file_name().is_some_and(|n| n == ".gitkeep") {
                    continue;
                }
                let data = std::fs::read(&path).unwrap();
                let run = std::panic::catch_unwind(|| target(&data));
                assert!(run.is_ok(), "{} fails {name}", path.display());
                inputs += 1;
            }
        }
        assert!(inputs >= 3, "{name} has only {inputs} kept inputs");
    }
}
