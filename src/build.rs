//! Build script: the version `byline --version` prints. Built from a git checkout, it names
//! the commit (with `-modified` when tracked files differ from it) and the build date
//! (`SOURCE_DATE_EPOCH` when set, for reproducible builds); elsewhere, the version alone.

use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

fn main() {
    // (A path that does not exist would rerun this on every build.)
    println!("cargo:rerun-if-changed=src/build.rs");
    for path in [
        ".git/HEAD",
        ".git/refs/heads",
        ".git/packed-refs",
        ".git/index",
    ] {
        if std::path::Path::new(path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    let version = env!("CARGO_PKG_VERSION");
    let full = match commit() {
        Some(commit) => format!("{version} (commit {commit}, built {})", build_date()),
        None => version.to_string(),
    };
    println!("cargo:rustc-env=BYLINE_VERSION={full}");
}

/// The checked-out commit's short hash, or None outside a git checkout (or without git).
fn commit() -> Option<String> {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let hash = git(&["rev-parse", "--short=12", "HEAD"]).filter(|h| !h.is_empty())?;
    // Without optional locks, `status` never rewrites .git/index, which would rerun this.
    let modified = git(&[
        "--no-optional-locks",
        "status",
        "--porcelain",
        "--untracked-files=no",
    ])
    .is_some_and(|s| !s.is_empty());
    Some(if modified {
        format!("{hash}-modified")
    } else {
        hash
    })
}

/// Today's date in UTC as YYYY-MM-DD (or SOURCE_DATE_EPOCH's).
fn build_date() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    // Days to a civil date (Howard Hinnant's algorithm).
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
