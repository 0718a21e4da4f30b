//! The two kinds of input: a file read at chunk offsets from several threads, or a stream
//! read through its position.

use std::io::{Read, Seek, SeekFrom};

/// What chunks are read from: an input that can seek, or a stream that cannot.
pub(super) trait Input: Read + Send {
    /// Moves to byte `pos` (only asked of inputs also read at offsets).
    fn seek_to(&mut self, pos: u64) -> std::io::Result<()>;
}

/// `Read` for a wrapper around a reader: passed through (vectored reads included).
macro_rules! read_through {
    ($($wrapper:ident),*) => {$(
        impl<R: Read> Read for $wrapper<R> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                self.0.read(buf)
            }

            fn read_vectored(
                &mut self,
                bufs: &mut [std::io::IoSliceMut<'_>],
            ) -> std::io::Result<usize> {
                self.0.read_vectored(bufs)
            }
        }
    )*};
}

read_through!(Seekable, Streamed);

/// An input that can seek.
pub(super) struct Seekable<R>(pub(super) R);

impl<R: Read + Seek + Send> Input for Seekable<R> {
    fn seek_to(&mut self, pos: u64) -> std::io::Result<()> {
        self.0.seek(SeekFrom::Start(pos)).map(|_| ())
    }
}

/// A stream: read in order, never moved.
pub(super) struct Streamed<R>(pub(super) R);

impl<R: Read + Send> Input for Streamed<R> {
    fn seek_to(&mut self, _pos: u64) -> std::io::Result<()> {
        Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
    }
}

/// Reads a file's bytes at an offset without moving a position another thread relies on.
pub(super) trait ReadAt: Sync {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<usize>;
}

impl ReadAt for std::fs::File {
    #[cfg(unix)]
    fn read_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
        std::os::unix::fs::FileExt::read_at(self, buf, offset)
    }

    // `seek_read` moves the file's position too; the chunks read this way are read only so,
    // and the position is set again before any other read (see `claim`).
    #[cfg(windows)]
    fn read_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
        std::os::windows::fs::FileExt::seek_read(self, buf, offset)
    }

    #[cfg(not(any(unix, windows)))]
    fn read_at(&self, _buf: &mut [u8], _offset: u64) -> std::io::Result<usize> {
        Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
    }
}
