//! Progress of a run, reported to whoever draws it. The library draws nothing: a front end (the
//! CLI's progress bar) implements [`Observer`] and passes it as [`Progress::To`].

/// Receives the progress of the host stage. Called from the runtime's tasks, so it must be
/// `Send + Sync`; calls are cheap and never block the walk for long.
pub trait Observer: Send + Sync {
    /// The host stage starts with this many hosts to probe.
    fn start(&self, hosts: usize);
    /// One more host is done (whatever its verdict).
    fn host_done(&self);
    /// The host stage has ended (every host is done).
    fn finish(&self);
}

/// Whether and where to report progress.
#[derive(Clone, Copy, Default)]
pub enum Progress<'a> {
    /// No progress reported.
    #[default]
    Hidden,
    /// Report to this observer.
    To(&'a dyn Observer),
}

impl std::fmt::Debug for Progress<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Progress::Hidden => "Hidden",
            Progress::To(_) => "To(..)",
        })
    }
}

impl Progress<'_> {
    pub(crate) fn start(&self, hosts: usize) {
        if let Progress::To(o) = self {
            o.start(hosts);
        }
    }

    pub(crate) fn host_done(&self) {
        if let Progress::To(o) = self {
            o.host_done();
        }
    }

    pub(crate) fn finish(&self) {
        if let Progress::To(o) = self {
            o.finish();
        }
    }
}
