//! The response body type: a whole JSON document, or a stream of watch event lines.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Frame, SizeHint};
use tokio::sync::mpsc;

/// Body of every response the server sends.
#[derive(Debug)]
pub struct ApiBody {
    inner: Inner,
}

#[derive(Debug)]
enum Inner {
    Full(Option<Bytes>),
    Stream(mpsc::Receiver<Bytes>),
}

impl ApiBody {
    pub(crate) fn full(bytes: impl Into<Bytes>) -> Self {
        ApiBody {
            inner: Inner::Full(Some(bytes.into())),
        }
    }

    /// A body fed chunk by chunk; it ends when the sender is dropped. Dropping the body (the
    /// client went away) makes the sender's `send` fail, which stops the producer.
    pub(crate) fn stream(receiver: mpsc::Receiver<Bytes>) -> Self {
        ApiBody {
            inner: Inner::Stream(receiver),
        }
    }
}

impl http_body::Body for ApiBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match &mut self.get_mut().inner {
            Inner::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Inner::Stream(receiver) => receiver
                .poll_recv(cx)
                .map(|chunk| chunk.map(|b| Ok(Frame::data(b)))),
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self.inner, Inner::Full(None))
    }

    fn size_hint(&self) -> SizeHint {
        match &self.inner {
            Inner::Full(Some(b)) => SizeHint::with_exact(b.len() as u64),
            Inner::Full(None) => SizeHint::with_exact(0),
            Inner::Stream(_) => SizeHint::default(),
        }
    }
}
