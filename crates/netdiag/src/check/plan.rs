//! The plan of a run: which stages run, which hosts are probed (the host limit, no product key
//! on the wire) and which time sources are asked; and the hosts left out, with the reason.

use std::collections::HashSet;
use std::net::IpAddr;

use volact_core::kb::Check;

use super::common::has_key;
use crate::finding::Verdict;
use crate::options::Options;
use crate::target::Target;

/// What a run does, decided from the options before anything is sent.
pub(crate) struct Plan {
    /// Hosts to probe, in order: the given ones, then the SRV-discovered ones (with the
    /// addresses discovery found).
    pub(crate) hosts: Vec<(Target, Option<Vec<IpAddr>>)>,
    /// Whether SRV discovery runs.
    pub(crate) run_discovery: bool,
    /// The most hosts probed.
    pub(crate) limit: usize,
    /// Hosts left out.
    pub(crate) not_probed: NotProbed,
}

impl Plan {
    /// The given hosts within the limit (a host shaped like a product key is refused), and
    /// whether discovery runs.
    pub(crate) fn new(opts: &Options) -> Self {
        let want = |c: Check| opts.checks.contains(&c);
        let explicit_hosts = !opts.hosts.is_empty();
        let need_hosts = want(Check::Tcp)
            || want(Check::Rpc)
            || (want(Check::Clock) && opts.time_servers.is_empty());
        let run_discovery = (want(Check::Dns) && (!opts.domains.is_empty() || !explicit_hosts))
            || (need_hosts && !explicit_hosts);
        let mut plan = Plan {
            hosts: Vec::new(),
            run_discovery,
            limit: opts.max_hosts.unwrap_or(usize::MAX),
            not_probed: NotProbed::default(),
        };
        for t in &opts.hosts {
            let key = has_key(&t.host);
            if key || plan.hosts.len() >= plan.limit {
                plan.not_probed.add(t.display(), key);
            } else {
                plan.hosts.push((t.clone(), None));
            }
        }
        plan
    }

    /// `(host, port)` of the hosts chosen so far (discovery does not probe them twice).
    pub(crate) fn seen(&self) -> HashSet<(String, u16)> {
        self.hosts
            .iter()
            .map(|(t, _)| (t.host.clone(), t.port))
            .collect()
    }

    /// How many more hosts may be probed.
    pub(crate) fn budget(&self) -> usize {
        self.limit.saturating_sub(self.hosts.len())
    }

    /// Adds what discovery found: the targets to probe, and those over the limit.
    pub(crate) fn add_found(&mut self, probe: Vec<(Target, Vec<IpAddr>)>, over_limit: Vec<String>) {
        for (t, addrs) in probe {
            self.hosts.push((t, Some(addrs)));
        }
        for name in over_limit {
            self.not_probed.add(name, false);
        }
    }

    /// The `--time-server` sources that may be asked (one shaped like a product key is refused).
    pub(crate) fn time_servers(&mut self, opts: &Options) -> Vec<Target> {
        let mut time_servers = Vec::new();
        for t in &opts.time_servers {
            if has_key(&t.host) {
                self.not_probed.add(t.display(), true);
            } else {
                time_servers.push(t.clone());
            }
        }
        time_servers
    }
}

/// Hosts that were not probed, and why.
#[derive(Default)]
pub(crate) struct NotProbed {
    /// Over the run's host limit.
    pub(crate) over_limit: usize,
    /// Refused: shaped like a product key.
    pub(crate) keys: usize,
    /// The first 100, `host:port`, redacted.
    pub(crate) names: Vec<String>,
}

impl NotProbed {
    pub(crate) fn add(&mut self, display: String, key: bool) {
        if key {
            self.keys += 1;
        } else {
            self.over_limit += 1;
        }
        if self.names.len() < 100 {
            self.names
                .push(volact_core::key::redact_keys_in(&display).into_owned());
        }
    }

    /// Why they were left out (`None` when every host was probed); `limit` is the host limit.
    pub(crate) fn verdict(&self, limit: Option<usize>) -> Option<Verdict> {
        (self.over_limit + self.keys > 0).then(|| Verdict::NotProbed {
            over_limit: self.over_limit,
            max: limit.unwrap_or_default(),
            keys: self.keys,
        })
    }
}
