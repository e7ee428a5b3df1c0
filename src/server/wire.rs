//! Errors answered below byline's handlers, rewritten into byline's JSON error shape.
//!
//! When a request cannot be parsed (a bad request line or header, headers over hyper's
//! limits, a URI over 65,534 bytes), hyper answers by itself, before any handler runs, with a
//! status and an empty body (`content-length: 0`). [`JsonErrors`] wraps each connection's
//! socket and replaces that answer, as hyper writes it, with the same status and headers and a
//! `{"error": {"code", "message"}}` body. byline's own answers always have a body, so an empty
//! 400, 414 or 431 can only be hyper's.
//!
//! What stays without a JSON body: a client that sends nothing within the header timeout is
//! disconnected without an answer (there is no request to answer).

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use hyper::rt::{Read, ReadBufCursor, Write};

use super::metrics::Metrics;

/// Most headers a request may have (hyper's default, set explicitly so the message is true).
pub const MAX_HEADERS: usize = 100;
/// Largest request head (request line and headers) read, in bytes (hyper's default).
pub const MAX_HEAD_BYTES: usize = 8192 + 4096 * 100;

/// A connection's socket whose automatic error answers are rewritten to JSON.
pub struct JsonErrors<T> {
    inner: T,
    /// A rewritten answer and how much of it is written.
    pending: Option<(Vec<u8>, usize)>,
    metrics: Arc<Metrics>,
}

impl<T> JsonErrors<T> {
    /// Wraps a connection's socket.
    pub fn new(inner: T, metrics: Arc<Metrics>) -> JsonErrors<T> {
        JsonErrors {
            inner,
            pending: None,
            metrics,
        }
    }
}

impl<T: Write + Unpin> JsonErrors<T> {
    /// Writes what remains of a rewritten answer.
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while let Some((bytes, done)) = &mut self.pending {
            if *done == bytes.len() {
                self.pending = None;
                break;
            }
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &bytes[*done..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *done += n;
        }
        Poll::Ready(Ok(()))
    }

    /// Takes over `head` if it is hyper's empty error answer: the JSON answer is written in
    /// its place, and hyper is told its bytes were written.
    fn intercept(&mut self, cx: &mut Context<'_>, head: &[u8]) -> Option<Poll<io::Result<usize>>> {
        let (status, answer) = rewrite(head)?;
        self.metrics.record("unparsed", status, Duration::ZERO);
        self.pending = Some((answer, 0));
        Some(match self.poll_pending(cx) {
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            // Written, or to be written by the flush hyper calls next.
            _ => Poll::Ready(Ok(head.len())),
        })
    }
}

impl<T: Read + Unpin> Read for JsonErrors<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: Write + Unpin> Write for JsonErrors<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        ready!(self.poll_pending(cx))?;
        if let Some(done) = self.intercept(cx, buf) {
            return done;
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        ready!(self.poll_pending(cx))?;
        // hyper's error answer is a head alone: one buffer.
        if let [head] = bufs {
            if let Some(done) = self.intercept(cx, head) {
                return done;
            }
        }
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// hyper's empty 400, 414 or 431 answer, rewritten with a JSON body: its status and the
/// new bytes; None for anything else.
fn rewrite(head: &[u8]) -> Option<(u16, Vec<u8>)> {
    let text = std::str::from_utf8(head).ok()?;
    let rest = text
        .strip_prefix("HTTP/1.1 ")
        .or_else(|| text.strip_prefix("HTTP/1.0 "))?;
    let status: u16 = rest.get(..3)?.parse().ok()?;
    let (code, message) = match status {
        400 => (
            "bad_request",
            "the request is not valid HTTP/1.1: its request line, a header or its framing could not be read".to_string(),
        ),
        414 => (
            "uri_too_long",
            format!("the URI is over 65,534 bytes; the limit is {} bytes", super::MAX_URI_BYTES),
        ),
        431 => (
            "headers_too_large",
            format!(
                "the request's headers are too large: at most {MAX_HEADERS} headers and {} KiB in all",
                MAX_HEAD_BYTES / 1024
            ),
        ),
        _ => return None,
    };
    let head = text.strip_suffix("\r\n\r\n")?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next()?;
    let mut headers: Vec<&str> = Vec::new();
    let mut empty = false;
    for line in lines {
        if line.contains("\r\n") || line.is_empty() {
            return None; // more than one head: not hyper's lone answer
        }
        if line.eq_ignore_ascii_case("content-length: 0") {
            empty = true;
        } else {
            headers.push(line);
        }
    }
    if !empty {
        return None;
    }
    let body = serde_json::json!({"error": {"code": code, "message": message}}).to_string();
    let mut out = format!("{status_line}\r\n");
    for h in headers {
        out.push_str(h);
        out.push_str("\r\n");
    }
    out.push_str(&format!(
        "content-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    ));
    Some((status, out.into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hypers_empty_errors_get_the_json_body() {
        let head = b"HTTP/1.1 431 Request Header Fields Too Large\r\nconnection: close\r\ncontent-length: 0\r\ndate: Thu, 03 Dec 2026 20:09:12 GMT\r\n\r\n";
        let (status, out) = rewrite(head).unwrap();
        let out = String::from_utf8(out).unwrap();
        let (head, body) = out.split_once("\r\n\r\n").unwrap();
        assert_eq!(status, 431);
        assert_eq!(
            head,
            format!("HTTP/1.1 431 Request Header Fields Too Large\r\nconnection: close\r\ndate: Thu, 03 Dec 2026 20:09:12 GMT\r\ncontent-type: application/json\r\ncontent-length: {}", body.len())
        );
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["error"]["code"], "headers_too_large");
        assert_eq!(
            v["error"]["message"],
            "the request's headers are too large: at most 100 headers and 408 KiB in all"
        );
        let bad = b"HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(rewrite(bad).unwrap().0, 400);
        let long = b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(rewrite(long).unwrap().0, 414);
    }

    #[test]
    fn byline_s_own_answers_pass_untouched() {
        for head in [
            // byline's own 414 has its JSON body.
            &b"HTTP/1.1 414 URI Too Long\r\ncontent-type: application/json\r\ncontent-length: 77\r\n\r\n"[..],
            b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n",
            b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n",
            b"{\"hits\": []}",
            b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\nHTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n",
        ] {
            assert_eq!(rewrite(head), None, "{}", String::from_utf8_lossy(head));
        }
    }
}
