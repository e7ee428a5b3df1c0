//! A streamed response body fed from a blocking task: the task writes into a [`Sink`], which
//! hands the bytes over in chunks through a bounded channel (so a slow client slows the
//! export, not the server's memory), and [`chunks`] turns the channel into the body.

use std::io::Write;

use tokio::sync::mpsc::{Receiver, Sender};

use crate::error::Error;

/// Bytes gathered before a chunk is sent.
const CHUNK: usize = 64 * 1024;

/// An `io::Write` whose bytes go to the response in chunks of [`CHUNK`] bytes.
pub(super) struct Sink {
    tx: Sender<Result<Vec<u8>, Error>>,
    buf: Vec<u8>,
}

impl Sink {
    pub(super) fn new(tx: Sender<Result<Vec<u8>, Error>>) -> Sink {
        Sink {
            tx,
            buf: Vec::with_capacity(CHUNK),
        }
    }

    /// Sends what is gathered. A client that went away is a broken pipe, which stops the
    /// export.
    pub(super) fn send(&mut self) -> crate::Result<()> {
        self.push().map_err(Error::Output)
    }

    fn push(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK));
        self.tx.blocking_send(Ok(chunk)).map_err(|_| {
            std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away")
        })
    }
}

impl Write for Sink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= CHUNK {
            self.push()?;
        }
        Ok(bytes.len())
    }

    /// Flushing sends nothing early: chunks go when full and at the end ([`Sink::send`]).
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The body: `first`, then every chunk the channel brings; an error ends the stream with
/// it (the connection is cut, so a client sees an incomplete response).
pub(super) fn chunks(
    first: Vec<u8>,
    rx: Receiver<Result<Vec<u8>, Error>>,
) -> impl futures_util::Stream<Item = std::io::Result<Vec<u8>>> + Send + 'static {
    let head = futures_util::stream::iter((!first.is_empty()).then_some(Ok(first)));
    let rest = futures_util::stream::unfold(rx, |mut rx| async move {
        match rx.recv().await? {
            Ok(chunk) => Some((Ok(chunk), rx)),
            Err(e) => Some((Err(std::io::Error::other(e.to_string())), rx)),
        }
    });
    futures_util::StreamExt::chain(head, rest)
}
