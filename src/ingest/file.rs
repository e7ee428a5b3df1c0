//! Reading one input file: whether it can be read, and its bytes as text.

use std::fmt;
use std::path::{Path, PathBuf};

use super::Skip;

/// A path made absolute (against the working folder), without resolving symlinks: what
/// `index --prune PATH` compares, whatever folder it is run from.
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The size of a file that may be opened and read to its end: a regular file (after
/// symlinks). A FIFO, socket or device is never opened: reading one could block forever or
/// never end.
pub(super) fn readable(path: &Path) -> Result<u64, Skip> {
    let meta = std::fs::metadata(path)
        .map_err(|e| Skip::new(path.display(), format!("cannot read: {e}")))?;
    if !meta.is_file() {
        let what = special_kind(&meta);
        return Err(Skip::new(
            path.display(),
            format!("{what}, not a regular file: not read"),
        ));
    }
    Ok(meta.len())
}

#[cfg(unix)]
fn special_kind(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_fifo() {
        "a named pipe (FIFO)"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::Metadata) -> &'static str {
    "a special file"
}

/// An article file's bytes as its text, or why they are not one: binary (a NUL byte), not
/// UTF-8, or empty. A UTF-8 byte order mark is dropped (offsets count from after it).
/// `origin` names the file in the reason.
pub fn decode_text(bytes: Vec<u8>, origin: impl fmt::Display) -> Result<String, Skip> {
    let mut bytes = bytes;
    if bytes.starts_with(b"\xef\xbb\xbf") {
        bytes.drain(..3);
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(Skip::new(
            &origin,
            format!("binary file (NUL byte at offset {at})"),
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        Skip::new(
            &origin,
            format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })?;
    if text.trim().is_empty() {
        return Err(Skip::new(&origin, "empty file"));
    }
    Ok(text)
}
