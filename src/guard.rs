//! Containing panics from code that reads content: a dependency (a stemmer, a detector) or
//! byline's own analysis of one article. [`catch`] runs a closure and turns a panic into a
//! [`Panic`] value with its message, printing nothing: the caller reports it as a per-word
//! or per-article outcome, and the rest of the run goes on.

use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

/// A panic caught by [`catch`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panic {
    /// The panic's message and where it was raised.
    pub message: String,
}

impl std::fmt::Display for Panic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Runs `f`; a panic inside it comes back as `Err` and prints nothing. The closure's state
/// after a panic is not used again by callers (they drop it or report the input), which is
/// why unwind safety is asserted.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, Panic> {
    HOOK.call_once(install_quiet_hook);
    let outer = QUIET.with(|q| q.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(outer));
    result.map_err(|payload| {
        let message = LAST.with(|l| l.borrow_mut().take()).unwrap_or_else(|| {
            payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into())
        });
        Panic { message }
    })
}

static HOOK: Once = Once::new();

thread_local! {
    /// Set while [`catch`] runs a closure: its panic is caught, so the hook keeps quiet.
    static QUIET: Cell<bool> = const { Cell::new(false) };
    /// The message of the last quiet panic on this thread.
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Wraps the process's panic hook: a panic inside [`catch`] is recorded for it, not printed;
/// every other panic is reported as before.
fn install_quiet_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if QUIET.with(Cell::get) {
            let at = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            let what = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".into());
            LAST.with(|l| *l.borrow_mut() = Some(format!("{what}{at}")));
        } else {
            previous(info);
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_value_with_its_message_and_the_next_call_works() {
        let caught = catch(|| -> u8 { panic!("bad word {}", 7) }).unwrap_err();
        assert!(caught.message.starts_with("bad word 7 at "), "{caught}");
        assert!(caught.message.contains("guard.rs"), "{caught}");
        assert_eq!(catch(|| 5), Ok(5));
        let nested = catch(|| catch(|| -> u8 { panic!("inner") }).is_err());
        assert_eq!(nested, Ok(true));
    }
}
