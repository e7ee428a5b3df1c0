//! Indexing under failure: a read-only and a full disk; searching while an index run writes.

use std::path::Path;
use std::process::Command;

use crate::scale::corpus;
use crate::util::{S000, S001, S002, S003};

/// Whether this machine lets an unprivileged process mount a filesystem in its own mount
/// namespace (`unshare -rm`), which the disk test needs.
fn private_mounts() -> bool {
    Command::new("unshare")
        .args(["-rm", "true"])
        .status()
        .is_ok_and(|s| s.success())
}

/// One step of `disk.sh`: its exit code, stdout and stderr.
fn step(out: &Path, name: &str) -> (i32, String, String) {
    let read = |ext: &str| std::fs::read_to_string(out.join(format!("{name}.{ext}"))).unwrap();
    (
        read("code").trim().parse().unwrap(),
        read("out"),
        read("err"),
    )
}

fn hit_ids(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|r| r["type"] == "hit")
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

/// On a 1 MiB tmpfs: a read-only remount, then a disk too small for the corpus. Each failed
/// run exits 2 naming the cause and what the index kept; the seeds' commit stays searchable;
/// once the disk has room, the next run completes the corpus.
#[test]
fn a_read_only_or_full_disk_is_a_clear_error_and_the_last_commit_stays_searchable() {
    if !private_mounts() {
        eprintln!("skipped: `unshare -rm` is not allowed here, so no tmpfs can be mounted");
        return;
    }
    const N: usize = 300;
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    corpus::generate(
        &root.join("seeds"),
        N,
        corpus::SEED,
        &dir.path().join("corpus"),
    );
    let (mnt, out) = (dir.path().join("mnt"), dir.path().join("out"));
    std::fs::create_dir_all(&mnt).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    let status = Command::new("unshare")
        .arg("-rm")
        .arg("bash")
        .arg(root.join("tests/reliability/disk.sh"))
        .arg(assert_cmd::cargo::cargo_bin("byline"))
        .arg(root.join("seeds"))
        .arg(dir.path().join("corpus/articles.ndjson"))
        .arg(&mnt)
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success(), "disk.sh: {status}");
    let index = mnt.join("index");
    let kept = String::from(
        "The index keeps its last commit (5 articles), searchable as before; fix the cause and run `byline index` again (it skips the articles already indexed)"
    );
    // Iravani's four articles, in the order the seed index ranks them.
    let four = [S002, S003, S001, S000];

    assert_eq!(step(&out, "seeds").0, 0);

    let (code, _, err) = step(&out, "ro-index");
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        err.trim(),
        format!(
            "byline: error: cannot write the index at {}: .tantivy-writer.lock: Read-only file system (os error 30). {kept}",
            index.display()
        )
    );
    let (code, stdout, err) = step(&out, "ro-search");
    assert_eq!(code, 0, "search on a read-only disk: {err}");
    assert_eq!(hit_ids(&stdout), four);

    let (code, _, err) = step(&out, "full-index");
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        err.trim(),
        format!(
            "byline: error: cannot write the index at {}: No space left on device (os error 28). {kept}",
            index.display()
        )
    );
    let (code, stdout, _) = step(&out, "full-search");
    assert_eq!(code, 0);
    assert_eq!(hit_ids(&stdout), four);
    assert_eq!(step(&out, "full-articles").1.lines().count(), 5);

    let (code, stdout, err) = step(&out, "grown-index");
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    // The generated corpus starts with the five seeds, under the same ids: they replace the
    // committed ones (their origin differs, so their hash does too).
    assert_eq!(report["index_articles"], N as u64);
    assert_eq!(report["articles"], N as u64);
    let (code, stdout, _) = step(&out, "grown-search");
    assert_eq!(code, 0);
    assert!(
        hit_ids(&stdout).len() > 4,
        "the corpus's story articles name Iravani too"
    );
}

/// An index in a folder the user may read but not write (an archive shared read-only):
/// searching works, and indexing exits 2 naming the lock it could not take. Run as root,
/// the commands drop to `nobody` (root writes anywhere).
#[test]
fn a_read_only_folder_is_searchable_and_indexing_it_is_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;
    let t = crate::util::TestIndex::seeds();
    let as_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n");
    let mode = |path: &Path, bits: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(bits)).unwrap()
    };
    for entry in std::fs::read_dir(t.path()).unwrap() {
        mode(&entry.unwrap().path(), 0o444);
    }
    mode(t.path(), 0o555);
    let run = |args: &[&str]| {
        let mut cmd = if as_root {
            let mut c = Command::new("setpriv");
            c.args(["--reuid", "65534", "--regid", "65534", "--clear-groups"])
                .arg(assert_cmd::cargo::cargo_bin("byline"));
            c
        } else {
            Command::new(assert_cmd::cargo::cargo_bin("byline"))
        };
        let out = cmd
            .arg("--index")
            .arg(t.path())
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (code, stdout, err) = run(&["search", "Iravani", "--json"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(hit_ids(&stdout), [S002, S003, S001, S000]);
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let (code, _, err) = run(&["index", seeds.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert_eq!(
        err.trim(),
        format!(
            "byline: error: cannot write the index at {}: .tantivy-writer.lock: Permission denied (os error 13). The index keeps its last commit (5 articles), searchable as before; fix the cause and run `byline index` again (it skips the articles already indexed)",
            t.path().display()
        )
    );
    mode(t.path(), 0o755); // so the temporary folder can be removed
}
