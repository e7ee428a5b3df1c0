//! Text for a terminal: control characters taken from input are shown, never obeyed.
//!
//! A scraped page can hold ESC, BEL or OSC sequences that would set the terminal's title,
//! clear the screen, plant a link (OSC 8) or write the clipboard (OSC 52) when `byline
//! search`, `show` or `articles` print it, and bidirectional overrides that reorder what is
//! shown. Text output passes every field taken from input (text, titles, outlets, ids, paths,
//! names, values) through [`line()`] or [`block`]: C0 controls, DEL and C1 controls become
//! `\x1b`-style escapes, bidirectional embeddings, overrides and isolates become `\u{202e}`-
//! style escapes. Only the printed text changes: byte offsets printed beside it, and JSON
//! output, are of the stored text as it is.

use std::borrow::Cow;

/// One line: every control character escaped, newlines and tabs included (a value that
/// could start a fake line of its own).
pub fn line(text: &str) -> Cow<'_, str> {
    neutralise(text, false)
}

/// A block of text (an article, a passage): as [`line()`], but newlines, tabs and the carriage
/// return of a CRLF stay.
pub fn block(text: &str) -> Cow<'_, str> {
    neutralise(text, true)
}

fn neutralise(text: &str, block: bool) -> Cow<'_, str> {
    let unsafe_at = |i: usize, c: char| -> bool {
        match c {
            '\n' | '\t' if block => false,
            '\r' if block => text.as_bytes().get(i + 1) != Some(&b'\n'),
            _ => is_control(c),
        }
    };
    if !text.char_indices().any(|(i, c)| unsafe_at(i, c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (i, c) in text.char_indices() {
        if !unsafe_at(i, c) {
            out.push(c);
        } else if (c as u32) < 0x80 {
            out.push_str(&format!("\\x{:02x}", c as u32));
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    Cow::Owned(out)
}

/// C0, DEL, C1, and the bidirectional formatting characters that reorder text (embeddings
/// and overrides U+202A–U+202E, isolates U+2066–U+2069). The marks (U+200E, U+200F, U+061C)
/// stay: Arabic and Persian news prints them, and they reorder nothing beyond themselves.
fn is_control(c: char) -> bool {
    matches!(c as u32, 0x00..=0x1f | 0x7f..=0x9f | 0x202a..=0x202e | 0x2066..=0x2069)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_sequences_a_terminal_would_obey() {
        // Set the title (OSC 0 … BEL), plant a link (OSC 8 … ST), clear the screen (CSI),
        // and a C1 CSI.
        let title = "Iravani\x1b]0;owned\x07 at the UN";
        assert_eq!(line(title), "Iravani\\x1b]0;owned\\x07 at the UN");
        assert_eq!(
            line("\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\"),
            "\\x1b]8;;http://evil\\x1b\\link\\x1b]8;;\\x1b\\"
        );
        assert_eq!(
            line("a\x1b[2Jb\u{9b}31mc\x7f"),
            "a\\x1b[2Jb\\u{9b}31mc\\x7f"
        );
        assert_eq!(line("abc\u{202e}fdp.exe"), "abc\\u{202e}fdp.exe");
        assert_eq!(line("x\u{2066}y\u{2069}"), "x\\u{2066}y\\u{2069}");
    }

    #[test]
    fn lines_escape_newlines_blocks_keep_them() {
        assert_eq!(line("id\nfake: line"), "id\\x0afake: line");
        assert_eq!(block("one\r\ntwo\n\tthree"), "one\r\ntwo\n\tthree");
        assert_eq!(block("over\rwrite"), "over\\x0dwrite");
    }

    #[test]
    fn ordinary_text_of_any_script_is_borrowed_untouched() {
        for text in [
            "Amir Saeid Iravani",
            "ایروانی\u{200c}ها \u{200f}(سفیر)",
            "Навальный",
            "纳瓦尔尼",
            "",
        ] {
            assert!(
                matches!(line(text), Cow::Borrowed(t) if t == text),
                "{text}"
            );
        }
    }
}
